namespace NfLua.Netlink.Interop;

/// <summary>Numeric constants from linux/netlink.h and linux/netfilter/nfnetlink.h that are not enum members.</summary>
internal static class NetlinkConstants
{
    /// <summary>AF_NETLINK.</summary>
    public const int AddressFamilyNetlink = 16;

    /// <summary>NETLINK_NETFILTER, the protocol argument of socket().</summary>
    public const int ProtocolNetfilter = 12;

    /// <summary>NETLINK_ROUTE: links, addresses and routes (rtnetlink).</summary>
    public const int ProtocolRoute = 0;

    /// <summary>RTMGRP_LINK: the multicast group of link changes (RTM_NEWLINK, RTM_DELLINK).</summary>
    public const uint RouteGroupLink = 1;

    /// <summary>SOL_NETLINK, the setsockopt level of <see cref="NetlinkSocketOption"/>.</summary>
    public const int SolNetlink = 270;

    /// <summary>NLMSG_ALIGNTO and NLA_ALIGNTO.</summary>
    public const int Alignment = 4;

    /// <summary>sizeof(struct nlmsghdr).</summary>
    public const int MessageHeaderSize = 16;

    /// <summary>sizeof(struct nlattr).</summary>
    public const int AttributeHeaderSize = 4;

    /// <summary>sizeof(struct nfgenmsg).</summary>
    public const int NfGenMessageSize = 4;

    /// <summary>NLA_TYPE_MASK: strips NLA_F_NESTED and NLA_F_NET_BYTEORDER.</summary>
    public const ushort AttributeTypeMask = 0x3FFF;

    /// <summary>NFNL_SUBSYS_QUEUE: the high byte of every nfnetlink_queue message type.</summary>
    public const byte SubsystemQueue = 3;

    /// <summary>NFNETLINK_V0.</summary>
    public const byte NfNetlinkVersion0 = 0;

    /// <summary>AF_UNSPEC, the nfgen family of config and verdict messages.</summary>
    public const byte FamilyUnspecified = 0;

    /// <summary>Rounds a length up to <see cref="Alignment"/> (NLMSG_ALIGN / NLA_ALIGN).</summary>
    public static int Align(int length) => (length + Alignment - 1) & ~(Alignment - 1);
}
