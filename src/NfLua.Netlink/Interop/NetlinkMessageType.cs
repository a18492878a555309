namespace NfLua.Netlink.Interop;

/// <summary>Message types: the control types of linux/netlink.h and the NFQNL_MSG_* types of the queue subsystem.</summary>
internal enum NetlinkMessageType : ushort
{
    /// <summary>NLMSG_NOOP.</summary>
    Noop = 1,

    /// <summary>NLMSG_ERROR: an int error followed by the echoed request header.</summary>
    Error = 2,

    /// <summary>NLMSG_DONE.</summary>
    Done = 3,

    /// <summary>NLMSG_OVERRUN.</summary>
    Overrun = 4,

    /// <summary>(NFNL_SUBSYS_QUEUE &lt;&lt; 8) | NFQNL_MSG_PACKET.</summary>
    QueuePacket = (NetlinkConstants.SubsystemQueue << 8) | NfQueueMessageType.Packet,

    /// <summary>(NFNL_SUBSYS_QUEUE &lt;&lt; 8) | NFQNL_MSG_VERDICT.</summary>
    QueueVerdict = (NetlinkConstants.SubsystemQueue << 8) | NfQueueMessageType.Verdict,

    /// <summary>(NFNL_SUBSYS_QUEUE &lt;&lt; 8) | NFQNL_MSG_CONFIG.</summary>
    QueueConfig = (NetlinkConstants.SubsystemQueue << 8) | NfQueueMessageType.Config,

    /// <summary>(NFNL_SUBSYS_QUEUE &lt;&lt; 8) | NFQNL_MSG_VERDICT_BATCH.</summary>
    QueueVerdictBatch = (NetlinkConstants.SubsystemQueue << 8) | NfQueueMessageType.VerdictBatch,
}
