using System.Runtime.InteropServices;

namespace NfLua.Netlink.Interop;

/// <summary>struct nlmsghdr (16 bytes, host order).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NetlinkMessageHeader
{
    public uint nlmsg_len;
    public ushort nlmsg_type;
    public ushort nlmsg_flags;
    public uint nlmsg_seq;
    public uint nlmsg_pid;
}
