using System.Text.Json.Serialization;

namespace NfLua.Control;

/// <summary>Source-generated (reflection-free) serialization of the protocol's argument and result records.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    AllowOutOfOrderMetadataProperties = false,
    MaxDepth = ControlProtocol.MaxJsonDepth)]
[JsonSerializable(typeof(LoadRequest))]
[JsonSerializable(typeof(UnloadRequest))]
[JsonSerializable(typeof(ModeRequest))]
[JsonSerializable(typeof(ModeResult))]
[JsonSerializable(typeof(ListRequest))]
[JsonSerializable(typeof(StatsRequest))]
[JsonSerializable(typeof(StatusRequest))]
[JsonSerializable(typeof(ReloadRequest))]
[JsonSerializable(typeof(LoadResult))]
[JsonSerializable(typeof(UnloadResult))]
[JsonSerializable(typeof(ListResult))]
[JsonSerializable(typeof(StatsResult))]
[JsonSerializable(typeof(StatusResult))]
[JsonSerializable(typeof(ReloadResult))]
[JsonSerializable(typeof(SetListRequest))]
[JsonSerializable(typeof(SetShowRequest))]
[JsonSerializable(typeof(SetAddRequest))]
[JsonSerializable(typeof(SetDelRequest))]
[JsonSerializable(typeof(SetLoadRequest))]
[JsonSerializable(typeof(SetListResult))]
[JsonSerializable(typeof(SetShowResult))]
[JsonSerializable(typeof(SetChangeResult))]
[JsonSerializable(typeof(EventsRequest))]
[JsonSerializable(typeof(EventsResult))]
[JsonSerializable(typeof(ControlError))]
internal sealed partial class ControlJsonContext : JsonSerializerContext;
