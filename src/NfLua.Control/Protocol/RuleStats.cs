namespace NfLua.Control;

/// <summary>A rule's counters since it was loaded.</summary>
/// <param name="Name">The rule's name.</param>
/// <param name="Queue">The queue it filters.</param>
/// <param name="Calls">Calls of its <c>filter</c>.</param>
/// <param name="Passed">Calls that passed the packet on.</param>
/// <param name="Dropped">Calls that dropped the packet.</param>
/// <param name="Errors">Calls that failed with a script error or a bad return value.</param>
/// <param name="LimitsExceeded">Calls stopped by the instruction, memory or time limit (or that returned after their time).</param>
/// <param name="TotalNanoseconds">Time spent in its calls (every call is timed); divide by <paramref name="Calls"/> for the time per call.</param>
/// <param name="MaxNanoseconds">The longest single call.</param>
/// <param name="AcceptedOnError">Failed calls whose packet the rule's on-error policy accepted (not in <paramref name="Passed"/>).</param>
/// <param name="DroppedOnError">Failed calls whose packet the rule's on-error policy dropped (not in <paramref name="Dropped"/>).</param>
/// <param name="CallTimeHistogram">
/// Calls per time bucket: bucket 0 holds calls under 1 µs, bucket i (1 to 20) calls from 2^(i-1) µs up to 2^i µs,
/// the last one (21) calls of 2^20 µs (about 1 s) or more. Null from a daemon that does not report it.
/// </param>
/// <param name="Mode">"enforce", or "monitor" when its counts are what it would have done (null from older daemons).</param>
/// <param name="Logs">nflua.log lines let through by its limit.</param>
/// <param name="LogsSuppressed">nflua.log lines its limit refused.</param>
/// <param name="Alerts">nflua.alert events let through by its limit.</param>
/// <param name="AlertsSuppressed">nflua.alert events its limit refused.</param>
/// <param name="EventsDropped">Messages let through but dropped because its ring was full.</param>
/// <param name="StreamDrops">Packets its TCP streams dropped without a call (conflicting bytes, bytes the receiver would not take, bytes that could not be kept; docs/streams.md).</param>
/// <param name="StreamConflicts">Of those, packets whose bytes differed from bytes the stream held.</param>
/// <param name="StickyVerdicts">Packets given a sticky flow verdict (nflua.flow_verdict) without a call.</param>
/// <param name="StreamFlows">Flows its stream tracker follows now.</param>
/// <param name="StreamBytes">Bytes its stream tracker holds now (buffers, out-of-order pieces, flow records).</param>
public sealed record RuleStats(
    string Name,
    int Queue,
    long Calls,
    long Passed,
    long Dropped,
    long Errors,
    long LimitsExceeded,
    long TotalNanoseconds,
    long MaxNanoseconds,
    long AcceptedOnError = 0,
    long DroppedOnError = 0,
    IReadOnlyList<long>? CallTimeHistogram = null,
    string? Mode = null,
    long Logs = 0,
    long LogsSuppressed = 0,
    long Alerts = 0,
    long AlertsSuppressed = 0,
    long EventsDropped = 0,
    long StreamDrops = 0,
    long StreamConflicts = 0,
    long StickyVerdicts = 0,
    long StreamFlows = 0,
    long StreamBytes = 0);
