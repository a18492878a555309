namespace NfLua.Scripting;

/// <summary>
/// What one rule did, for <c>nflua-ctl stats</c>. Written only by the thread that runs the rule
/// (plain increments: nothing on the hot path takes a lock); other threads read snapshots.
/// Every call is timed (the rule's state reads the clock when a call is armed and when it ends).
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
    private long _onErrorAccepted;
    private long _onErrorDropped;
    private long _elapsedNs;
    private long _maxNs;
    private readonly long[] _histogram = new long[CallTimeHistogram.BucketCount];

    /// <summary>A consistent-enough copy for reporting.</summary>
    public RuleCountersSnapshot Snapshot()
    {
        var histogram = new long[_histogram.Length];
        for (int i = 0; i < histogram.Length; i++)
        {
            histogram[i] = Volatile.Read(ref _histogram[i]);
        }

        return new RuleCountersSnapshot(
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
            Volatile.Read(ref _onErrorAccepted),
            Volatile.Read(ref _onErrorDropped),
            Volatile.Read(ref _elapsedNs),
            Volatile.Read(ref _maxNs),
            histogram);
    }

    /// <summary>Records a verdict given without a call (a sticky flow verdict, a drop a stream forced).</summary>
    internal void RecordWithoutCall() => _withoutCall++;

    /// <summary>Verdicts given without calling the rule: sticky flow verdicts and the drops streams force (broken down in <see cref="Streams.StreamCounters"/>).</summary>
    public long VerdictsWithoutCall => Volatile.Read(ref _withoutCall);

    private long _withoutCall;
    private long _reject;

    /// <summary>Calls that returned reject (also counted as drops).</summary>
    public long Rejects => Volatile.Read(ref _reject);

    /// <summary>Records a call and how long it took.</summary>
    internal void Record(in FilterResult result, long elapsedNs)
    {
        _calls++;
        _elapsedNs += elapsedNs;
        if (elapsedNs > _maxNs)
        {
            _maxNs = elapsedNs;
        }

        _histogram[CallTimeHistogram.Bucket(elapsedNs)]++;
        if (result.Failure != RuleFailure.None)
        {
            switch (result.Failure)
            {
                case RuleFailure.ScriptError: _scriptErrors++; break;
                case RuleFailure.BadReturn: _badReturns++; break;
                case RuleFailure.InstructionLimit: _instructionLimitHits++; break;
                case RuleFailure.MemoryLimit: _memoryLimitHits++; break;
                case RuleFailure.TimeLimit: _timeLimitHits++; break;
            }

            // The on-error verdict is the rule's failure policy, not a decision of the script.
            if (result.Verdict == FilterVerdict.Accept)
            {
                _onErrorAccepted++;
            }
            else
            {
                _onErrorDropped++;
            }

            return;
        }

        switch (result.Verdict)
        {
            case FilterVerdict.Pass: _pass++; break;
            case FilterVerdict.Accept: _accept++; break;
            case FilterVerdict.Drop: _drop++; break;
            case FilterVerdict.Repeat: _repeat++; break;
            case FilterVerdict.Stop: _stop++; break;
            case FilterVerdict.Queue: _queue++; break;
            case FilterVerdict.Reject: _drop++; _reject++; break; // a drop with a reply: counted with the drops
        }
    }
}

/// <summary>A copy of a rule's counters.</summary>
/// <param name="Calls">Calls of <c>filter</c>.</param>
/// <param name="Pass">Calls that returned pass (on to the next rule).</param>
/// <param name="Accept">Calls that returned accept.</param>
/// <param name="Drop">Calls that returned drop.</param>
/// <param name="Repeat">Calls that returned repeat.</param>
/// <param name="Stop">Calls that returned stop.</param>
/// <param name="Queue">Calls that returned queue.</param>
/// <param name="ScriptErrors">Calls that raised an error.</param>
/// <param name="BadReturns">Calls that returned something that is not a verdict.</param>
/// <param name="InstructionLimitHits">Calls stopped by their instruction budget.</param>
/// <param name="MemoryLimitHits">Calls that ran out of memory.</param>
/// <param name="TimeLimitHits">Calls stopped by their time limit, or that returned after it.</param>
/// <param name="OnErrorAccepted">Failed calls whose packet the on-error policy accepted.</param>
/// <param name="OnErrorDropped">Failed calls whose packet the on-error policy dropped.</param>
/// <param name="ElapsedNanoseconds">The wall-clock time of all calls.</param>
/// <param name="MaxNanoseconds">The longest call.</param>
/// <param name="CallTimeHistogram">Calls per time bucket (<see cref="Scripting.CallTimeHistogram"/>).</param>
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
    long OnErrorAccepted,
    long OnErrorDropped,
    long ElapsedNanoseconds,
    long MaxNanoseconds,
    IReadOnlyList<long> CallTimeHistogram)
{
    /// <summary>Failures of every kind.</summary>
    public long Failures => ScriptErrors + BadReturns + InstructionLimitHits + MemoryLimitHits + TimeLimitHits;

    /// <summary>Calls whose time was measured: every call.</summary>
    public long TimedCalls => Calls;

    /// <summary>Mean wall-clock time per call, in nanoseconds.</summary>
    public long MeanNanoseconds => Calls == 0 ? 0 : ElapsedNanoseconds / Calls;

    /// <summary>Mean wall-clock time per call.</summary>
    public TimeSpan MeanCallTime => TimeSpan.FromTicks(MeanNanoseconds / 100);
}
