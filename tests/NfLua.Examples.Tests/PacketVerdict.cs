namespace NfLua.Examples.Tests;

/// <summary>What nflua-ctl test reported for one record of a capture (the fields of its JSON these tests read).</summary>
internal sealed record PacketVerdict(int Index, string? Verdict, uint? Mark, string? Failure, string? Error, string? Skipped);
