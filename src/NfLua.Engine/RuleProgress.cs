using NfLua.Scripting;

namespace NfLua.Engine;

/// <summary>
/// Where a queue's worker is, published cheaply for a watcher on another thread: a step count that moves at every rule
/// call and every loop of the worker, and the rule it is in now. Two plain stores per rule call, no clock read: the
/// watcher times how long the count stands still (docs/internals.md, "Stuck workers").
/// </summary>
public sealed class RuleProgress
{
    private long _steps;
    private RuleSet _set = RuleSet.Empty;
    private int _rule = -1;

    /// <summary>Moves at every rule call and every <see cref="Beat"/>; a count that stands still means the worker does.</summary>
    public long Steps => Volatile.Read(ref _steps);

    /// <summary>The rule the worker is running now, or null when it is not in a rule.</summary>
    public LuaRule? CurrentRule
    {
        get
        {
            RuleSet set = Volatile.Read(ref _set);
            int index = Volatile.Read(ref _rule);
            return index >= 0 && index < set.Rules.Length ? set.Rules[index] : null;
        }
    }

    /// <summary>The worker is alive (called by it once per loop, and only by it).</summary>
    public void Beat() => Volatile.Write(ref _steps, _steps + 1);

    /// <summary>The set the worker judges its next packets with (once per batch).</summary>
    public void Use(RuleSet set) => Volatile.Write(ref _set, set);

    internal void Enter(int rule)
    {
        Volatile.Write(ref _rule, rule);
        Volatile.Write(ref _steps, _steps + 1);
    }

    internal void Leave() => Volatile.Write(ref _rule, -1);
}
