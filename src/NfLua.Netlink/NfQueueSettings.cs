namespace NfLua.Netlink;

/// <summary>What a bound queue actually got from the kernel.</summary>
/// <param name="QueueNumber">The queue number.</param>
/// <param name="PortId">The netlink port id of the socket (the portid column of /proc/net/netfilter/nfnetlink_queue).</param>
/// <param name="MaxLength">The queue length asked for.</param>
/// <param name="CopyRange">The copy range in effect (the kernel caps it at 65531).</param>
/// <param name="FailOpen">Whether FAIL_OPEN is on.</param>
/// <param name="Gso">Whether GSO is on.</param>
/// <param name="UidGid">Whether UID_GID is on.</param>
/// <param name="Conntrack">Whether conntrack information was asked for and what the kernel said.</param>
/// <param name="ReceiveBufferSize">The receive buffer the kernel reports (SO_RCVBUF; it doubles what is asked).</param>
/// <param name="ReceiveBufferForced">Whether SO_RCVBUFFORCE was allowed (otherwise SO_RCVBUF, capped by rmem_max).</param>
/// <param name="NoEnobufs">Whether NETLINK_NO_ENOBUFS is set.</param>
public sealed record NfQueueSettings(
    ushort QueueNumber,
    uint PortId,
    uint MaxLength,
    uint CopyRange,
    bool FailOpen,
    bool Gso,
    bool UidGid,
    NfConntrackSupport Conntrack,
    int ReceiveBufferSize,
    bool ReceiveBufferForced,
    bool NoEnobufs);
