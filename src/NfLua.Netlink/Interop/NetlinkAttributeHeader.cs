using System.Runtime.InteropServices;

namespace NfLua.Netlink.Interop;

/// <summary>struct nlattr (4 bytes, host order); <c>nla_len</c> excludes the padding that follows.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NetlinkAttributeHeader
{
    public ushort nla_len;
    public ushort nla_type;
}
