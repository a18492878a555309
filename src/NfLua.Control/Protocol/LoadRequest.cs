using System.Text.Json;
using System.Text.Json.Serialization;

namespace NfLua.Control;

/// <summary>Compile <paramref name="Script"/> into rule <paramref name="Name"/> on <paramref name="Queue"/>, after that
/// queue's other rules; an existing rule of that name is replaced atomically.</summary>
/// <param name="Name">The rule's name, unique in the daemon.</param>
/// <param name="Script">The Lua source text (the CLI reads the file; the daemon never opens client paths).</param>
/// <param name="Queue">The NFQUEUE number the rule filters.</param>
/// <param name="ScriptPath">The path the script came from, used only in error messages.</param>
/// <param name="MaxInstructions">Instructions allowed per <c>filter</c> call; the daemon's default when null.</param>
/// <param name="MaxMemory">Bytes of memory allowed to the rule's Lua state; the daemon's default when null.</param>
/// <param name="OnError">The verdict when the script fails; the queue's default when null.</param>
/// <param name="NoPersist">True for a rule of this run only: not kept in the daemon's state file, gone after a restart.</param>
/// <param name="Params">The rule's parameters (<c>nflua.params</c>): an object of strings, integers, booleans, arrays and objects of them.</param>
/// <param name="CompileInstructions">The budget of the main chunk; the daemon's default (100 x max-instructions) when null.</param>
/// <param name="CompileTimeMs">The main chunk's wall-clock limit, in milliseconds; the daemon's default (1000) when null.</param>
/// <param name="Monitor">True to load the rule in monitor mode: its verdicts are counted, not applied.</param>
public sealed record LoadRequest(
    string Name,
    string Script,
    int Queue,
    string? ScriptPath = null,
    long? MaxInstructions = null,
    long? MaxMemory = null,
    RuleFailureVerdict? OnError = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool NoPersist = false,
    JsonElement? Params = null,
    long? CompileInstructions = null,
    long? CompileTimeMs = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Monitor = false) : ControlCommand
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override ControlOp Op => ControlOp.Load;
}
