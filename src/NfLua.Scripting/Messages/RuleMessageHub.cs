namespace NfLua.Scripting.Messages;

/// <summary>
/// Where the host finds every rule's messages: each rule compiled with this hub in its <see cref="RuleEnvironment"/>
/// registers its <see cref="RuleMessages"/> here, and one drain thread takes what they published. A closed rule is
/// forgotten once its ring is empty.
/// </summary>
public sealed class RuleMessageHub
{
    private readonly Lock _lock = new();
    private readonly List<RuleMessages> _rules = [];
    private RuleMessages[] _snapshot = []; // _rules as the drain reads it: made anew only when _rules changes
    private volatile RuleMessageSettings _settings;
    private long _droppedByGoneRules;
    private readonly Dictionary<string, RuleMessageCounters> _goneTotals = new(StringComparer.Ordinal);

    /// <summary>A hub whose rules get <paramref name="settings"/> (the defaults when null).</summary>
    public RuleMessageHub(RuleMessageSettings? settings = null) => _settings = settings ?? RuleMessageSettings.Default;

    /// <summary>The limits rules compiled from now on get.</summary>
    public RuleMessageSettings Settings
    {
        get => _settings;
        set => _settings = value ?? RuleMessageSettings.Default;
    }

    /// <summary>Messages dropped (ring full) by rules that are gone now.</summary>
    public long DroppedByGoneRules => Interlocked.Read(ref _droppedByGoneRules);

    /// <summary>Makes and registers the messages of a rule being compiled.</summary>
    public RuleMessages Register(string rule)
    {
        var messages = new RuleMessages(rule, _settings) { Collected = true };
        lock (_lock)
        {
            _rules.Add(messages);
            Volatile.Write(ref _snapshot, [.. _rules]);
        }

        return messages;
    }

    /// <summary>
    /// Hands every published message to <paramref name="sink"/> (the slot is reused once it returns: copy what is kept),
    /// at most <paramref name="max"/> in all; returns how many. One thread at a time.
    /// </summary>
    public int Drain(Action<RuleMessage> sink, int max = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(sink);
        RuleMessages[] rules = Volatile.Read(ref _snapshot); // no copy per call: a quiet daemon allocates nothing here

        int count = 0;
        foreach (RuleMessages messages in rules)
        {
            bool closed = messages.Closed; // read first: what is published before the close is drained below
            RuleMessage? slot;
            while (count < max && (slot = messages.Ring.Peek()) is not null)
            {
                try
                {
                    sink(slot);
                }
                finally
                {
                    messages.Ring.Release();
                }

                count++;
            }

            if (closed && messages.Ring.Peek() is null)
            {
                lock (_lock)
                {
                    // Its counts stay in its name's totals: counters only go up across replace, unload and reload.
                    _rules.Remove(messages);
                    Volatile.Write(ref _snapshot, [.. _rules]);
                    _goneTotals[messages.Rule] = _goneTotals.GetValueOrDefault(messages.Rule).Plus(messages.Counters);
                    Interlocked.Add(ref _droppedByGoneRules, messages.Ring.Dropped);
                }
            }
        }

        return count;
    }

    /// <summary>
    /// The message counters of every rule ever registered under <paramref name="rule"/>: those running now, those
    /// replaced or unloaded (still draining, or gone). They only go up for the hub's lifetime, whatever happens to the
    /// rule, as a queue's counters do.
    /// </summary>
    public RuleMessageCounters Totals(string rule)
    {
        lock (_lock)
        {
            RuleMessageCounters totals = _goneTotals.GetValueOrDefault(rule);
            foreach (RuleMessages messages in _rules)
            {
                if (messages.Rule == rule)
                {
                    totals = totals.Plus(messages.Counters);
                }
            }

            return totals;
        }
    }

    /// <summary>
    /// Hands <paramref name="sink"/> the tail of every storm that ended by <paramref name="nowMs"/> (the rules' clock:
    /// <see cref="Environment.TickCount64"/> in nfluad): per rule and channel, the refusals no later message carried,
    /// once the channel's bucket is full again (<see cref="RuleMessages.TakeStormTail"/>). Rules whose messages take the
    /// packet's time (captures) are left out.
    /// </summary>
    public void TakeStormTails(long nowMs, Action<RuleMessages, RuleMessageKind, long> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        RuleMessages[] rules = Volatile.Read(ref _snapshot); // no copy per call: a quiet daemon allocates nothing here

        foreach (RuleMessages messages in rules)
        {
            if (messages.TimeFromPacket)
            {
                continue;
            }

            foreach (RuleMessageKind kind in s_channels)
            {
                if (messages.TakeStormTail(kind, nowMs) is var count and > 0)
                {
                    sink(messages, kind, count);
                }
            }
        }
    }

    private static readonly RuleMessageKind[] s_channels = [RuleMessageKind.Alert, RuleMessageKind.Log, RuleMessageKind.Failure];
}
