namespace NfLua.Scripting;

/// <summary>
/// What one rule did, for <c>nflua-ctl stats</c>. Written only by the thread that runs the rule
/// (plain increments: nothing on the hot path takes a lock); other threads read snapshots.
/// </summary>
public sealed class RuleCounters
{
    private long _calls;
    private long _pass;
    private long _accept;
    private long _drop;
    private long _repeat;
    private long _stop;
    private long _queue;
    private long _scriptErrors;
    private long _badReturns;
    private long _instructionLimitHits;
    private long _memoryLimitHits;
    private long _timeLimitHits;
    private long _timedCalls;
    private long _elapsedTicks;
    private long _maxTicks;

    /// <summary>A consistent-enough copy for reporting.</summary>
    public RuleCountersSnapshot Snapshot() => new(
        Volatile.Read(ref _calls),
        Volatile.Read(ref _pass),
        Volatile.Read(ref _accept),
        Volatile.Read(ref _drop),
        Volatile.Read(ref _repeat),
        Volatile.Read(ref _stop),
        Volatile.Read(ref _queue),
        Volatile.Read(ref _scriptErrors),
        Volatile.Read(ref _badReturns),
        Volatile.Read(ref _instructionLimitHits),
        Volatile.Read(ref _memoryLimitHits),
        Volatile.Read(ref _timeLimitHits),
        Volatile.Read(ref _timedCalls),
        Volatile.Read(ref _elapsedTicks),
        Volatile.Read(ref _maxTicks));

    /// <summary>Records a call whose time was measured.</summary>
    internal void RecordTimed(in FilterResult result, long elapsedTicks)
    {
        _timedCalls++;
        _elapsedTicks += elapsedTicks;
        if (elapsedTicks > _maxTicks)
        {
            _maxTicks = elapsedTicks;
        }

        Record(result);
    }

    /// <summary>Records a call.</summary>
    internal void Record(in FilterResult result)
    {
        _calls++;
        switch (result.Failure)
        {
            case RuleFailure.ScriptError: _scriptErrors++; break;
            case RuleFailure.BadReturn: _badReturns++; break;
            case RuleFailure.InstructionLimit: _instructionLimitHits++; break;
            case RuleFailure.MemoryLimit: _memoryLimitHits++; break;
            case RuleFailure.TimeLimit: _timeLimitHits++; break;
        }

        switch (result.Verdict)
        {
            case FilterVerdict.Pass: _pass++; break;
            case FilterVerdict.Accept: _accept++; break;
            case FilterVerdict.Drop: _drop++; break;
            case FilterVerdict.Repeat: _repeat++; break;
            case FilterVerdict.Stop: _stop++; break;
            case FilterVerdict.Queue: _queue++; break;
        }
    }
}

/// <summary>A copy of a rule's counters.</summary>
public readonly record struct RuleCountersSnapshot(
    long Calls,
    long Pass,
    long Accept,
    long Drop,
    long Repeat,
    long Stop,
    long Queue,
    long ScriptErrors,
    long BadReturns,
    long InstructionLimitHits,
    long MemoryLimitHits,
    long TimeLimitHits,
    long TimedCalls,
    long ElapsedTicks,
    long MaxTicks)
{
    /// <summary>Failures of every kind.</summary>
    public long Failures => ScriptErrors + BadReturns + InstructionLimitHits + MemoryLimitHits + TimeLimitHits;

    /// <summary>All calls' wall-clock time, in nanoseconds, estimated from the timed sample (one call in eight).</summary>
    public long ElapsedNanoseconds => (long)(MeanCallTime.TotalNanoseconds * Calls);

    /// <summary>The longest timed call, in nanoseconds.</summary>
    public long MaxNanoseconds => (long)(MaxTicks * (1e9 / System.Diagnostics.Stopwatch.Frequency));

    /// <summary>Mean wall-clock time per call, over the timed sample.</summary>
    public TimeSpan MeanCallTime => TimedCalls == 0 ? TimeSpan.Zero
        : TimeSpan.FromSeconds((double)ElapsedTicks / System.Diagnostics.Stopwatch.Frequency / TimedCalls);
}
