using NfLua.Scripting.Interop;

namespace NfLua.Scripting.Messages;

/// <summary>
/// What one rule (on one queue) says: its <c>nflua.log</c> lines, <c>nflua.alert</c> events and failure events, each
/// channel under its own token bucket, waiting in the rule's ring for the host. Written by the rule's thread only; the
/// counters are read by others.
/// </summary>
public sealed class RuleMessages
{
    private TokenBucket _logBucket;
    private TokenBucket _alertBucket;
    private TokenBucket _failureBucket;
    private long _logs;
    private long _logsSuppressed;
    private long _alerts;
    private long _alertsSuppressed;
    private long _failureEvents;
    private long _failuresSuppressed;
    private long _logsSuppressedSince;
    private long _alertsSuppressedSince;
    private long _failuresSuppressedSince;
    private volatile bool _closed;

    /// <summary>Messages for rule <paramref name="rule"/> under <paramref name="settings"/>.</summary>
    public RuleMessages(string rule, RuleMessageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Rule = rule;
        Settings = settings;
        _logBucket = new TokenBucket(settings.Rate, settings.Burst);
        _alertBucket = new TokenBucket(settings.Rate, settings.Burst);
        _failureBucket = new TokenBucket(settings.Rate, settings.Burst);
        Ring = new RuleMessageRing(settings.RingCapacity);
    }

    /// <summary>The rule's name.</summary>
    public string Rule { get; }

    /// <summary>The queue the rule is on (set by whoever publishes it).</summary>
    public int Queue { get; set; }

    /// <summary>The limits.</summary>
    public RuleMessageSettings Settings { get; }

    /// <summary>Where accepted messages wait.</summary>
    public RuleMessageRing Ring { get; }

    /// <summary>Whether a host collects these messages (a hub): only then are failures made into events, which copy their text.</summary>
    public bool Collected { get; internal set; }

    /// <summary>Whether the rule is gone: once its ring is empty, nothing more comes.</summary>
    public bool Closed => _closed;

    /// <summary>
    /// Whether a message's time is the packet's (its <c>nflua.now()</c> read as Unix milliseconds: a capture's
    /// timestamps under <c>nflua-ctl test</c>) rather than the clock's.
    /// </summary>
    public bool TimeFromPacket { get; set; }

    /// <summary>Whether the rule runs in monitor mode (copied into its messages).</summary>
    internal bool Monitor { get; set; }

    /// <summary>The interface names messages carry.</summary>
    internal IInterfaceNames? Interfaces { get; set; }

    /// <summary>A copy of the counters.</summary>
    public RuleMessageCounters Counters => new(
        Volatile.Read(ref _logs), Volatile.Read(ref _logsSuppressed), Volatile.Read(ref _alerts), Volatile.Read(ref _alertsSuppressed),
        Volatile.Read(ref _failureEvents), Volatile.Read(ref _failuresSuppressed), Ring.Dropped);

    /// <summary>Marks the rule gone.</summary>
    public void Close() => _closed = true;

    /// <summary>
    /// A slot for a message of <paramref name="kind"/> at <paramref name="nowMs"/>, or null when the rule's limit refuses
    /// it (counted as suppressed) or the ring is full (counted as dropped). Allocates nothing when it refuses.
    /// </summary>
    internal RuleMessage? TryBegin(RuleMessageKind kind, long nowMs)
    {
        long suppressedBefore;
        switch (kind)
        {
            case RuleMessageKind.Log:
                if (!_logBucket.TryTake(nowMs))
                {
                    _logsSuppressed++;
                    _logsSuppressedSince++;
                    return null;
                }

                suppressedBefore = _logsSuppressedSince;
                _logsSuppressedSince = 0;
                break;
            case RuleMessageKind.Alert:
                if (!_alertBucket.TryTake(nowMs))
                {
                    _alertsSuppressed++;
                    _alertsSuppressedSince++;
                    return null;
                }

                suppressedBefore = _alertsSuppressedSince;
                _alertsSuppressedSince = 0;
                break;
            default:
                if (!_failureBucket.TryTake(nowMs))
                {
                    _failuresSuppressed++;
                    _failuresSuppressedSince++;
                    return null;
                }

                suppressedBefore = _failuresSuppressedSince;
                _failuresSuppressedSince = 0;
                break;
        }

        RuleMessage? slot = Ring.TryStage();
        if (slot is null)
        {
            return null;
        }

        switch (kind)
        {
            case RuleMessageKind.Log: _logs++; break;
            case RuleMessageKind.Alert: _alerts++; break;
            default: _failureEvents++; break;
        }

        slot.Kind = kind;
        slot.Rule = Rule;
        slot.Queue = Queue;
        slot.Monitor = Monitor;
        slot.SuppressedBefore = suppressedBefore;
        slot.UtcTicks = TimeFromPacket ? DateTime.UnixEpoch.Ticks + (nowMs * TimeSpan.TicksPerMillisecond) : DateTime.UtcNow.Ticks;
        slot.Failure = RuleFailure.None;
        slot.Level = RuleLogLevel.Info;
        slot.RuleVerdict = FilterVerdict.Pass;
        slot.RuleVerdictQueue = 0;
        slot.ClearFields();
        return slot;
    }

    /// <summary>Records what the rule returned in the messages its call staged.</summary>
    internal void SetRuleVerdict(in FilterResult result)
    {
        if (Ring.HasStaged)
        {
            Ring.SetStagedRuleVerdict(result.Verdict, result.QueueNumber);
        }
    }

    /// <summary>Publishes what the packet's calls staged, with the verdict the packet finally got.</summary>
    public void Publish(FilterVerdict finalVerdict, ushort finalQueue)
    {
        if (Ring.HasStaged)
        {
            Ring.Publish(finalVerdict, finalQueue);
        }
    }
}

/// <summary>A rule's message counters.</summary>
/// <param name="Logs">nflua.log lines let through.</param>
/// <param name="LogsSuppressed">nflua.log lines its limit refused.</param>
/// <param name="Alerts">nflua.alert events let through.</param>
/// <param name="AlertsSuppressed">nflua.alert events its limit refused.</param>
/// <param name="FailureEvents">Failure events let through.</param>
/// <param name="FailureEventsSuppressed">Failure events the limit refused (every failure is still counted in the rule's counters).</param>
/// <param name="Dropped">Messages let through but dropped because the ring was full.</param>
public readonly record struct RuleMessageCounters(long Logs, long LogsSuppressed, long Alerts, long AlertsSuppressed, long FailureEvents, long FailureEventsSuppressed, long Dropped);
