using System.Runtime.InteropServices;
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
    // The gates nflua.alert and nflua.log check in C before calling the host (nflua_gate in nflua.h: refused, closed),
    // in memory that never moves: alert at 0-1, log at 2-3. The refused counts there are the channels' suppressed totals.
    private readonly long[] _gates = GC.AllocateArray<long>(4, pinned: true);
    private long _logs;
    private long _alerts;
    private long _failureEvents;
    private long _failuresSuppressed;
    private long _logsReported;
    private long _alertsReported;
    private long _failuresReported;
    private int _closedGates;
    private long _alertReopenMs;
    private long _logReopenMs;
    private long _alertQuietMs;
    private long _logQuietMs;
    private long _failureQuietMs;
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
        Volatile.Read(ref _logs), Volatile.Read(ref _gates[LogRefused]), Volatile.Read(ref _alerts), Volatile.Read(ref _gates[AlertRefused]),
        Volatile.Read(ref _failureEvents), Volatile.Read(ref _failuresSuppressed), Ring.Dropped);

    /// <summary>Marks the rule gone.</summary>
    public void Close() => _closed = true;

    /// <summary>
    /// A slot for a message of <paramref name="kind"/> at <paramref name="nowMs"/>, or null when the rule's limit refuses
    /// it (counted as suppressed) or the ring is full (counted as dropped). Allocates nothing when it refuses. A log or
    /// alert refused closes that channel's gate (<see cref="ClosedGates"/>): the rule's Lua then refuses and counts by
    /// itself until the bucket holds a token again.
    /// </summary>
    internal RuleMessage? TryBegin(RuleMessageKind kind, long nowMs)
    {
        long suppressedBefore;
        switch (kind)
        {
            case RuleMessageKind.Log:
                if (!_logBucket.TryTake(nowMs))
                {
                    CloseGate(LogGate, ref _logBucket, ref _logReopenMs, ref _logQuietMs);
                    Volatile.Write(ref _gates[LogRefused], _gates[LogRefused] + 1);
                    return null;
                }

                suppressedBefore = TakeSince(ref _logsReported, Volatile.Read(ref _gates[LogRefused]));
                break;
            case RuleMessageKind.Alert:
                if (!_alertBucket.TryTake(nowMs))
                {
                    CloseGate(AlertGate, ref _alertBucket, ref _alertReopenMs, ref _alertQuietMs);
                    Volatile.Write(ref _gates[AlertRefused], _gates[AlertRefused] + 1);
                    return null;
                }

                suppressedBefore = TakeSince(ref _alertsReported, Volatile.Read(ref _gates[AlertRefused]));
                break;
            default:
                if (!_failureBucket.TryTake(nowMs))
                {
                    Volatile.Write(ref _failureQuietMs, _failureBucket.FullMs);
                    Volatile.Write(ref _failuresSuppressed, _failuresSuppressed + 1);
                    return null;
                }

                suppressedBefore = TakeSince(ref _failuresReported, Volatile.Read(ref _failuresSuppressed));
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

    // The refusals not yet reported (total - reported): the next message let through carries them, or the storm's tail
    // (another thread) takes them; each refusal is reported once.
    private static long TakeSince(ref long reported, long total)
    {
        while (true)
        {
            long before = Volatile.Read(ref reported);
            if (total <= before)
            {
                return 0;
            }

            if (Interlocked.CompareExchange(ref reported, total, before) == before)
            {
                return total - before;
            }
        }
    }

    private const int AlertRefused = 0;
    private const int AlertClosed = 1;
    private const int LogRefused = 2;
    private const int LogClosed = 3;

    /// <summary>The alert channel's gate (a bit of <see cref="ClosedGates"/>).</summary>
    internal const int AlertGate = 1;

    /// <summary>The log channel's gate.</summary>
    internal const int LogGate = 2;

    /// <summary>The native <c>nflua_gate</c> of <paramref name="gate"/> (<see cref="AlertGate"/> or <see cref="LogGate"/>): valid while this object lives.</summary>
    internal IntPtr GatePointer(int gate) => Marshal.UnsafeAddrOfPinnedArrayElement(_gates, gate == AlertGate ? AlertRefused : LogRefused);

    /// <summary>The gates closed now (rule's thread).</summary>
    internal int ClosedGates => _closedGates;

    private void CloseGate(int gate, ref TokenBucket bucket, ref long reopenMs, ref long quietMs)
    {
        _closedGates |= gate;
        _gates[gate == AlertGate ? AlertClosed : LogClosed] = 1;
        reopenMs = bucket.NextTokenMs;
        Volatile.Write(ref quietMs, bucket.FullMs);
    }

    /// <summary>Before a call at <paramref name="nowMs"/>: opens the closed gates whose bucket holds a token again.</summary>
    internal void OpenGatesDue(long nowMs)
    {
        if ((_closedGates & AlertGate) != 0 && nowMs >= _alertReopenMs)
        {
            _closedGates &= ~AlertGate;
            _gates[AlertClosed] = 0;
        }

        if ((_closedGates & LogGate) != 0 && nowMs >= _logReopenMs)
        {
            _closedGates &= ~LogGate;
            _gates[LogClosed] = 0;
        }
    }

    /// <summary>
    /// The tail of a storm: the messages of <paramref name="kind"/> refused since the last one let through, once the
    /// channel's bucket is full again at <paramref name="nowMs"/> (no refusal for burst/rate seconds) and no message
    /// came to carry them in its <c>suppressed_before</c>; 0 otherwise. Taken once: the count is reported either here or
    /// by the next message, never both. Any thread.
    /// </summary>
    public long TakeStormTail(RuleMessageKind kind, long nowMs) => kind switch
    {
        RuleMessageKind.Alert => TakeTail(ref _alertsReported, Volatile.Read(ref _gates[AlertRefused]), ref _alertQuietMs, nowMs),
        RuleMessageKind.Log => TakeTail(ref _logsReported, Volatile.Read(ref _gates[LogRefused]), ref _logQuietMs, nowMs),
        _ => TakeTail(ref _failuresReported, Volatile.Read(ref _failuresSuppressed), ref _failureQuietMs, nowMs),
    };

    private static long TakeTail(ref long reported, long total, ref long quietMs, long nowMs) =>
        total == Volatile.Read(ref reported) || nowMs < Volatile.Read(ref quietMs) ? 0 : TakeSince(ref reported, total);

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
public readonly record struct RuleMessageCounters(long Logs, long LogsSuppressed, long Alerts, long AlertsSuppressed, long FailureEvents, long FailureEventsSuppressed, long Dropped)
{
    /// <summary>These counters and <paramref name="other"/>, summed.</summary>
    public RuleMessageCounters Plus(RuleMessageCounters other) => new(
        Logs + other.Logs, LogsSuppressed + other.LogsSuppressed, Alerts + other.Alerts, AlertsSuppressed + other.AlertsSuppressed,
        FailureEvents + other.FailureEvents, FailureEventsSuppressed + other.FailureEventsSuppressed, Dropped + other.Dropped);
}
