using System.Runtime.InteropServices;
using Tmds.Linux;

namespace NfLua.Netlink.Interop;

/// <summary>The libc calls Tmds.LibC 0.5.0 lacks.</summary>
internal static unsafe partial class NativeMethods
{
    /// <summary>recvmmsg(2). Read the error with <see cref="Marshal.GetLastPInvokeError"/> on the next line.</summary>
    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    public static partial int RecvMmsg(int fd, MultiMessageHeader* messages, uint count, int flags, timespec* timeout);
}
