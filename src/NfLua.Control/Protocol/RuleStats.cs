namespace NfLua.Control;

/// <summary>A rule's counters since it was loaded.</summary>
/// <param name="Name">The rule's name.</param>
/// <param name="Queue">The queue it filters.</param>
/// <param name="Calls">Calls of its <c>filter</c>.</param>
/// <param name="Passed">Calls that passed the packet on.</param>
/// <param name="Dropped">Calls that dropped the packet.</param>
/// <param name="Errors">Calls that failed with a script error.</param>
/// <param name="LimitsExceeded">Calls stopped by the instruction or memory limit.</param>
/// <param name="TotalNanoseconds">Time spent in its calls; divide by <paramref name="Calls"/> for the time per call.</param>
/// <param name="MaxNanoseconds">The longest single call.</param>
public sealed record RuleStats(
    string Name,
    int Queue,
    long Calls,
    long Passed,
    long Dropped,
    long Errors,
    long LimitsExceeded,
    long TotalNanoseconds,
    long MaxNanoseconds);
