using System.Text.Json;
using System.Text.Json.Serialization;

namespace NfLua.Daemon.State;

/// <summary>The state file: the rules loaded with nflua-ctl (and not --no-persist), as JSON an operator can read.</summary>
internal sealed record StateDocument(int Version, IReadOnlyList<StateRule> Rules)
{
    /// <summary>The format written; a file of another version is refused whole (and kept aside).</summary>
    public const int CurrentVersion = 1;
}

/// <summary>One loaded rule: everything needed to compile it again, exactly as it ran (its parameters too, when it has any).</summary>
internal sealed record StateRule(string Name, IReadOnlyList<int> Queues, string ScriptName, string Script, StateLimits Limits, JsonElement? Params = null, string? Mode = null);

/// <summary>The limits the rule was compiled with (the compile limits when it was given its own).</summary>
internal sealed record StateLimits(
    long MaxInstructions, long MaxMemory, long MaxCallTimeMs, int MaxFlows, string OnError, long? CompileInstructions = null, long? CompileTimeMs = null);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StateDocument))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
