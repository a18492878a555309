using System.Text.Json;

namespace NfLua.Control;

/// <summary>A loaded rule as <c>nflua-ctl list</c> shows it.</summary>
/// <param name="Name">The rule's name.</param>
/// <param name="Queue">The queue it filters.</param>
/// <param name="Position">Its 0-based place in the queue's evaluation order.</param>
/// <param name="MaxInstructions">The effective instruction limit per call.</param>
/// <param name="MaxMemory">The effective memory limit of its Lua state, in bytes.</param>
/// <param name="OnError">The effective failure verdict.</param>
/// <param name="ScriptPath">Where the script came from, when known.</param>
/// <param name="Origin">Where the rule came from: "configuration", "nflua-ctl" (kept across restarts) or "nflua-ctl, runtime only".</param>
/// <param name="CompileInstructions">The budget its main chunk ran under.</param>
/// <param name="CompileTimeMs">The wall-clock limit of its main chunk, in milliseconds.</param>
/// <param name="Params">Its parameters (<c>nflua.params</c>), when it has any.</param>
/// <param name="Mode">"enforce", or "monitor" when its verdicts are counted and not applied (null from older daemons).</param>
public sealed record RuleInfo(
    string Name,
    int Queue,
    int Position,
    long MaxInstructions,
    long MaxMemory,
    RuleFailureVerdict OnError,
    string? ScriptPath = null,
    string? Origin = null,
    long? CompileInstructions = null,
    long? CompileTimeMs = null,
    JsonElement? Params = null,
    string? Mode = null);
