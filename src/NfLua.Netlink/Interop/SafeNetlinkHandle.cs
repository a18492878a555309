using System.Runtime.InteropServices;
using Tmds.Linux;

namespace NfLua.Netlink.Interop;

/// <summary>
/// A socket descriptor whose close waits for the calls in progress: a worker blocked in recvmmsg keeps the descriptor
/// alive until it returns, so a close from another thread can never hand the number to a new file under it.
/// </summary>
internal sealed class SafeNetlinkHandle : SafeHandle
{
    public SafeNetlinkHandle(int fd)
        : base(invalidHandleValue: -1, ownsHandle: true) => SetHandle(fd);

    public override bool IsInvalid => handle == -1;

    protected override bool ReleaseHandle() => LibC.close((int)handle) == 0;
}
