namespace NfLua.Cli.Offline;

/// <summary>The result of <c>nflua-ctl test</c>, printed as a table or, with <c>--json</c>, as this record.</summary>
/// <param name="Script">The script's path.</param>
/// <param name="Capture">The capture's path.</param>
/// <param name="MaxInstructions">The instruction limit per call the rule ran under.</param>
/// <param name="MaxMemory">The memory limit of its Lua state.</param>
/// <param name="OnError">The verdict of packets the rule failed on.</param>
/// <param name="MaxCallTimeMs">The wall-clock limit per call, in milliseconds.</param>
/// <param name="Packets">One entry per record, in file order.</param>
/// <param name="Summary">The totals.</param>
internal sealed record CaptureTestReport(
    string Script,
    string Capture,
    long MaxInstructions,
    long MaxMemory,
    string OnError,
    long MaxCallTimeMs,
    IReadOnlyList<PacketResult> Packets,
    CaptureTestSummary Summary);
