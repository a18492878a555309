namespace NfLua.Netlink.Interop;

/// <summary>enum nfqnl_config_mode.</summary>
internal enum NfQueueCopyMode : byte
{
    /// <summary>NFQNL_COPY_NONE: the state after BIND; every packet is dropped.</summary>
    None = 0,

    /// <summary>NFQNL_COPY_META.</summary>
    Meta = 1,

    /// <summary>NFQNL_COPY_PACKET.</summary>
    Packet = 2,
}
