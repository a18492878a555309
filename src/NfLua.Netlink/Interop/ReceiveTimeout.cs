using System.Runtime.InteropServices;

namespace NfLua.Netlink.Interop;

/// <summary>
/// <c>struct timeval</c> for SO_RCVTIMEO (64-bit Linux: two longs), and the constants Tmds.LibC 0.5.0 lacks for a
/// blocking recvmmsg with a timeout.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ReceiveTimeout
{
    /// <summary>SO_RCVTIMEO (asm-generic/socket.h: SO_RCVTIMEO_OLD, the timeval form).</summary>
    public const int SocketOption = 20;

    /// <summary>MSG_WAITFORONE: recvmmsg blocks for the first datagram only, then takes what is ready.</summary>
    public const int WaitForOne = 0x10000;

    public long Seconds;
    public long Microseconds;

    /// <summary>The timeval for a timeout in milliseconds; negative means no timeout (all zero, as the kernel reads it).</summary>
    public static ReceiveTimeout FromMilliseconds(int milliseconds) => milliseconds < 0
        ? default
        : new ReceiveTimeout { Seconds = milliseconds / 1000, Microseconds = milliseconds % 1000 * 1000L };
}
