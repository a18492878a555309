using NfLua.Scripting;

namespace NfLua.Engine;

/// <summary>Where a rule came from: it decides who may replace it and whether it survives a restart.</summary>
public enum RuleOrigin
{
    /// <summary>The configuration file: replaced as a whole on every reload.</summary>
    Configuration,

    /// <summary>The control socket (<c>nflua-ctl load</c>): kept across reloads, and across restarts when persisted.</summary>
    Control,
}

/// <summary>
/// A rule as its author gave it, independent of where it came from: a name, the queues it filters, its script text and
/// its limits. The registry compiles one Lua state per queue from it.
/// </summary>
/// <param name="Name">The rule's name, unique in the daemon (<see cref="RuleNames"/>).</param>
/// <param name="Queues">The queues it filters (at least one).</param>
/// <param name="Script">The script's text.</param>
/// <param name="ScriptName">Where the script came from: errors and <c>list</c> show it.</param>
/// <param name="Limits">Its limits and failure verdict.</param>
/// <param name="Origin">Where it came from.</param>
/// <param name="Persist">Whether a rule loaded through the control socket is restored after a restart.</param>
/// <param name="Params">The operator's parameters for the rule (<c>nflua.params</c>); none when null.</param>
public sealed record RuleDefinition(
    string Name,
    IReadOnlyList<ushort> Queues,
    byte[] Script,
    string ScriptName,
    RuleLimits Limits,
    RuleOrigin Origin,
    bool Persist = true,
    RuleParams? Params = null,
    bool Monitor = false)
{
    /// <summary>The queues, each once, in ascending order.</summary>
    public IReadOnlyList<ushort> SortedQueues { get; } = [.. Queues.Distinct().Order()];
}
