namespace NfLua.Control;

/// <summary>A queue's counters as the kernel reports them (<c>/proc/net/netfilter/nfnetlink_queue</c>).</summary>
/// <param name="Waiting">Packets queued in the kernel and waiting for a verdict.</param>
/// <param name="QueueDropped">Packets dropped because the queue was full.</param>
/// <param name="UserDropped">Packets dropped because the netlink socket's receive buffer was full.</param>
/// <param name="LastPacketId">The id of the last packet queued.</param>
public sealed record KernelQueueCounters(long Waiting, long QueueDropped, long UserDropped, long LastPacketId);
