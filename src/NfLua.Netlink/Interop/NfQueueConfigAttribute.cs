namespace NfLua.Netlink.Interop;

/// <summary>enum nfqnl_attr_config: attributes of CONFIG messages.</summary>
internal enum NfQueueConfigAttribute : ushort
{
    /// <summary>NFQA_CFG_UNSPEC.</summary>
    Unspecified = 0,

    /// <summary>NFQA_CFG_CMD: {u8 command; u8 pad; be16 pf}.</summary>
    Command = 1,

    /// <summary>NFQA_CFG_PARAMS: {be32 copy_range; u8 copy_mode}, 5 bytes packed.</summary>
    Parameters = 2,

    /// <summary>NFQA_CFG_QUEUE_MAXLEN: be32.</summary>
    QueueMaxLength = 3,

    /// <summary>NFQA_CFG_MASK: be32, which flags <see cref="Flags"/> changes.</summary>
    Mask = 4,

    /// <summary>NFQA_CFG_FLAGS: be32 <see cref="NfQueueConfigFlags"/>.</summary>
    Flags = 5,
}
