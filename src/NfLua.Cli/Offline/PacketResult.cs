namespace NfLua.Cli.Offline;

/// <summary>What <c>test</c> found for one record of the capture.</summary>
/// <param name="Index">The record's 1-based number, as Wireshark counts them.</param>
/// <param name="Description">A short description: addresses, ports, protocol, length; or why the record was skipped.</param>
/// <param name="Skipped">Why the record was not filtered (<c>not-ip</c>, <c>truncated</c>, <c>unsupported-link-type</c>); null when it was.</param>
/// <param name="Source">The source address.</param>
/// <param name="Destination">The destination address.</param>
/// <param name="Protocol">The transport protocol's name (<c>tcp</c>, <c>udp</c>, <c>icmp</c>, ... or its number).</param>
/// <param name="SourcePort">The TCP or UDP source port.</param>
/// <param name="DestinationPort">The TCP or UDP destination port.</param>
/// <param name="Length">The IP packet's length in bytes.</param>
/// <param name="Verdict">The rule's verdict: <c>pass</c>, <c>accept</c>, <c>drop</c>, <c>repeat</c>, <c>stop</c> or <c>queue</c>; null when skipped.</param>
/// <param name="Queue">The target queue of a <c>queue</c> verdict.</param>
/// <param name="Mark">The mark the rule set, if any.</param>
/// <param name="Modified">Whether the rule rewrote the packet.</param>
/// <param name="Failure">Why the rule failed (<c>script-error</c>, <c>instruction-limit</c>, <c>time-limit</c>, <c>memory-limit</c>,
/// <c>bad-return</c>); the verdict is then the on-error verdict.</param>
/// <param name="Error">The failure's message.</param>
/// <param name="Logs">What the rule logged with nflua.log on this packet (within its limit), in order.</param>
/// <param name="Alerts">The events the rule raised with nflua.alert on this packet (within its limit), as the daemon's event log writes them.</param>
internal sealed record PacketResult(
    int Index,
    string Description,
    string? Skipped = null,
    string? Source = null,
    string? Destination = null,
    string? Protocol = null,
    int? SourcePort = null,
    int? DestinationPort = null,
    int Length = 0,
    string? Verdict = null,
    int? Queue = null,
    uint? Mark = null,
    bool Modified = false,
    string? Failure = null,
    string? Error = null,
    IReadOnlyList<PacketLog>? Logs = null,
    IReadOnlyList<System.Text.Json.JsonElement>? Alerts = null);

/// <summary>One nflua.log line of a packet.</summary>
/// <param name="Level">debug, info or warning.</param>
/// <param name="Message">The message.</param>
internal sealed record PacketLog(string Level, string Message);
