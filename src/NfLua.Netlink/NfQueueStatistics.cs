namespace NfLua.Netlink;

/// <summary>Counters of one queue socket since it was opened.</summary>
/// <param name="Packets">Packet messages received and parsed.</param>
/// <param name="Malformed">Messages that failed the length checks or lacked a packet header (skipped).</param>
/// <param name="Truncated">Datagrams longer than a receive slot (MSG_TRUNC; skipped).</param>
/// <param name="NoBufferErrors">Receives that failed with ENOBUFS (the kernel dropped packets; reading went on).</param>
/// <param name="VerdictsSent">Verdicts handed to the kernel, one per packet id (a VERDICT_BATCH counts its run).</param>
/// <param name="VerdictMessages">VERDICT and VERDICT_BATCH messages sent.</param>
/// <param name="VerdictErrors">NLMSG_ERROR replies with a non-zero errno to verdicts (for example ENOENT).</param>
/// <param name="SendErrors">Verdict sends that failed (their verdicts stay pending and are sent again with the next flush).</param>
/// <param name="LastErrno">The errno of the latest verdict error or failed send, 0 if none.</param>
public readonly record struct NfQueueStatistics(
    long Packets,
    long Malformed,
    long Truncated,
    long NoBufferErrors,
    long VerdictsSent,
    long VerdictMessages,
    long VerdictErrors,
    long SendErrors,
    int LastErrno);
