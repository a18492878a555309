namespace NfLua.Netlink.Interop;

/// <summary>enum nfqnl_msg_config_cmds.</summary>
internal enum NfQueueConfigCommand : byte
{
    /// <summary>NFQNL_CFG_CMD_NONE.</summary>
    None = 0,

    /// <summary>NFQNL_CFG_CMD_BIND.</summary>
    Bind = 1,

    /// <summary>NFQNL_CFG_CMD_UNBIND.</summary>
    Unbind = 2,

    /// <summary>NFQNL_CFG_CMD_PF_BIND: a no-op since Linux 3.8; never sent.</summary>
    ProtocolFamilyBind = 3,

    /// <summary>NFQNL_CFG_CMD_PF_UNBIND: a no-op since Linux 3.8; never sent.</summary>
    ProtocolFamilyUnbind = 4,
}
