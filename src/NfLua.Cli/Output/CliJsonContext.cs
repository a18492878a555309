using System.Text.Json.Serialization;
using NfLua.Cli.Offline;
using NfLua.Control;

namespace NfLua.Cli.Output;

/// <summary>The JSON <c>--json</c> prints: the protocol's result records with the protocol's field names (camelCase,
/// enums as words), and the report of <c>test</c>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(LoadResult))]
[JsonSerializable(typeof(UnloadResult))]
[JsonSerializable(typeof(ModeResult))]
[JsonSerializable(typeof(ListResult))]
[JsonSerializable(typeof(StatsResult))]
[JsonSerializable(typeof(StatusResult))]
[JsonSerializable(typeof(ReloadResult))]
[JsonSerializable(typeof(SetListResult))]
[JsonSerializable(typeof(SetShowResult))]
[JsonSerializable(typeof(SetChangeResult))]
[JsonSerializable(typeof(CaptureTestReport))]
[JsonSerializable(typeof(string))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
