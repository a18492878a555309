using System.Runtime.InteropServices;
using Tmds.Linux;

namespace NfLua.Netlink.Interop;

/// <summary>struct mmsghdr, declared here because Tmds.LibC exposes its msg_hdr as a copy-returning property.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MultiMessageHeader
{
    public msghdr msg_hdr;
    public uint msg_len;
}
