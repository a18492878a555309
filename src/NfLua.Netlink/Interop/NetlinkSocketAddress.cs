using System.Runtime.InteropServices;

namespace NfLua.Netlink.Interop;

/// <summary>struct sockaddr_nl (12 bytes, host order).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NetlinkSocketAddress
{
    public ushort nl_family;
    public ushort nl_pad;
    public uint nl_pid;
    public uint nl_groups;
}
