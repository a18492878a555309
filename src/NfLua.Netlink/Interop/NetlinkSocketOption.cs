namespace NfLua.Netlink.Interop;

/// <summary>SOL_NETLINK socket options from linux/netlink.h.</summary>
internal enum NetlinkSocketOption
{
    /// <summary>NETLINK_NO_ENOBUFS: stop reporting receive-buffer overruns as ENOBUFS.</summary>
    NoEnobufs = 5,
}
