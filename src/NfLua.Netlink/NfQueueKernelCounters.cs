namespace NfLua.Netlink;

/// <summary>One line of /proc/net/netfilter/nfnetlink_queue: the kernel's view of a bound queue.</summary>
/// <param name="QueueNumber">The queue number.</param>
/// <param name="PortId">The netlink port id of the socket bound to it.</param>
/// <param name="Waiting">Packets queued and waiting for a verdict.</param>
/// <param name="CopyMode">0 none, 1 meta, 2 packet.</param>
/// <param name="CopyRange">Bytes copied per packet.</param>
/// <param name="QueueDropped">Packets dropped (or accepted, with fail-open) because the queue was full.</param>
/// <param name="UserDropped">Packets dropped because the socket's receive buffer was full.</param>
/// <param name="IdSequence">The id of the latest queued packet.</param>
public sealed record NfQueueKernelCounters(
    uint QueueNumber,
    uint PortId,
    uint Waiting,
    uint CopyMode,
    uint CopyRange,
    uint QueueDropped,
    uint UserDropped,
    uint IdSequence);
