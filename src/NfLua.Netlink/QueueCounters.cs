namespace NfLua.Netlink;

/// <summary>Mutable counters owned by a queue's worker thread; other threads read snapshots.</summary>
internal sealed class QueueCounters
{
    public long Packets;
    public long Malformed;
    public long Truncated;
    public long NoBufferErrors;
    public long VerdictsSent;
    public long VerdictMessages;
    public long VerdictErrors;
    public long SendErrors;
    public int LastErrno;

    public NfQueueStatistics Snapshot() => new(
        Volatile.Read(ref Packets),
        Volatile.Read(ref Malformed),
        Volatile.Read(ref Truncated),
        Volatile.Read(ref NoBufferErrors),
        Volatile.Read(ref VerdictsSent),
        Volatile.Read(ref VerdictMessages),
        Volatile.Read(ref VerdictErrors),
        Volatile.Read(ref SendErrors),
        Volatile.Read(ref LastErrno));
}
