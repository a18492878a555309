namespace NfLua.Netlink.Interop;

/// <summary>NLM_F_* request flags from linux/netlink.h.</summary>
[Flags]
internal enum NetlinkMessageFlags : ushort
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>NLM_F_REQUEST.</summary>
    Request = 0x1,

    /// <summary>NLM_F_MULTI.</summary>
    Multi = 0x2,

    /// <summary>NLM_F_ACK: the kernel answers with an NLMSG_ERROR carrying 0 on success.</summary>
    Ack = 0x4,
}
