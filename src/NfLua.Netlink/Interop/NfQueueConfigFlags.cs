namespace NfLua.Netlink.Interop;

/// <summary>NFQA_CFG_F_* flags.</summary>
[Flags]
internal enum NfQueueConfigFlags : uint
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>NFQA_CFG_F_FAIL_OPEN: accept instead of dropping when the queue or socket is full.</summary>
    FailOpen = 1 << 0,

    /// <summary>NFQA_CFG_F_CONNTRACK.</summary>
    Conntrack = 1 << 1,

    /// <summary>NFQA_CFG_F_GSO: deliver GSO packets unsegmented.</summary>
    Gso = 1 << 2,

    /// <summary>NFQA_CFG_F_UID_GID.</summary>
    UidGid = 1 << 3,

    /// <summary>NFQA_CFG_F_SECCTX.</summary>
    SecurityContext = 1 << 4,
}
