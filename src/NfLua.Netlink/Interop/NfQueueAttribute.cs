namespace NfLua.Netlink.Interop;

/// <summary>enum nfqnl_attr_type: attributes of PACKET and VERDICT messages.</summary>
internal enum NfQueueAttribute : ushort
{
    /// <summary>NFQA_UNSPEC.</summary>
    Unspecified = 0,

    /// <summary>NFQA_PACKET_HDR: {be32 id; be16 hw_protocol; u8 hook}, 7 bytes packed.</summary>
    PacketHeader = 1,

    /// <summary>NFQA_VERDICT_HDR: {be32 verdict; be32 id}.</summary>
    VerdictHeader = 2,

    /// <summary>NFQA_MARK: be32.</summary>
    Mark = 3,

    /// <summary>NFQA_TIMESTAMP: {be64 sec; be64 usec}.</summary>
    Timestamp = 4,

    /// <summary>NFQA_IFINDEX_INDEV: be32.</summary>
    InputInterface = 5,

    /// <summary>NFQA_IFINDEX_OUTDEV: be32.</summary>
    OutputInterface = 6,

    /// <summary>NFQA_IFINDEX_PHYSINDEV: be32.</summary>
    PhysicalInputInterface = 7,

    /// <summary>NFQA_IFINDEX_PHYSOUTDEV: be32.</summary>
    PhysicalOutputInterface = 8,

    /// <summary>NFQA_HWADDR: {be16 len; u16 pad; u8 addr[8]}.</summary>
    HardwareAddress = 9,

    /// <summary>NFQA_PAYLOAD: the packet from its network header.</summary>
    Payload = 10,

    /// <summary>NFQA_CT.</summary>
    Conntrack = 11,

    /// <summary>NFQA_CT_INFO.</summary>
    ConntrackInfo = 12,

    /// <summary>NFQA_CAP_LEN: be32 original length, present when the payload was truncated.</summary>
    CaptureLength = 13,

    /// <summary>NFQA_SKB_INFO: be32 <see cref="NfQueueSkbInfo"/>.</summary>
    SkbInfo = 14,

    /// <summary>NFQA_EXP.</summary>
    Expectation = 15,

    /// <summary>NFQA_UID: be32.</summary>
    Uid = 16,

    /// <summary>NFQA_GID: be32.</summary>
    Gid = 17,

    /// <summary>NFQA_SECCTX: security context string.</summary>
    SecurityContext = 18,

    /// <summary>NFQA_VLAN: nested.</summary>
    Vlan = 19,

    /// <summary>NFQA_L2HDR: the full layer 2 header.</summary>
    Layer2Header = 20,

    /// <summary>NFQA_PRIORITY: be32 skb->priority.</summary>
    Priority = 21,
}
