namespace NfLua.Cli.Offline;

/// <summary>The totals of a <c>test</c> run.</summary>
/// <param name="Records">Packet records in the capture.</param>
/// <param name="Filtered">Records the rule ran on.</param>
/// <param name="Skipped">Records skipped (not IP, truncated, unreadable link type).</param>
/// <param name="SkippedNotIP">Of those, records that carry something other than IP.</param>
/// <param name="Pass">Packets the rule passed on (accepted, as the queue's only rule).</param>
/// <param name="Accept">Packets accepted at once.</param>
/// <param name="Drop">Packets dropped.</param>
/// <param name="Repeat">Packets given <c>repeat</c>.</param>
/// <param name="Stop">Packets given <c>stop</c>.</param>
/// <param name="Queue">Packets sent to another queue.</param>
/// <param name="Failures">Packets on which the rule failed and the on-error verdict applied (counted in its verdict too).</param>
/// <param name="Modified">Packets the rule rewrote.</param>
/// <param name="MeanCallNanoseconds">The mean wall-clock time of a <c>filter</c> call here (null: no call); the daemon's
/// live calls, on a busy machine and in colder caches, take longer.</param>
/// <param name="MaxCallNanoseconds">The longest call.</param>
/// <param name="MaxCallPacket">The record the longest call was made for.</param>
/// <param name="CutShort">The record (or block) the capture file ends inside, not tested (null: the file ends cleanly).</param>
internal sealed record CaptureTestSummary(
    int Records,
    int Filtered,
    int Skipped,
    int SkippedNotIP,
    int Pass,
    int Accept,
    int Drop,
    int Repeat,
    int Stop,
    int Queue,
    int Failures,
    int Modified,
    long? MeanCallNanoseconds,
    long? MaxCallNanoseconds,
    int? MaxCallPacket,
    string? CutShort);
