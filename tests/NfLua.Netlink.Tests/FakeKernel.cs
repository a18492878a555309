using System.Buffers.Binary;
using NfLua.Netlink.Interop;
using Tmds.Linux;

namespace NfLua.Netlink.Tests;

/// <summary>
/// The kernel's side of a queue socket, faked with an AF_UNIX datagram socketpair: the test queues the
/// kernel's replies before or after the library speaks, and reads what the library sent.
/// </summary>
internal sealed unsafe class FakeKernel : IDisposable
{
    private readonly int _kernel;
    private readonly int _libraryFd;
    private readonly byte[] _drain = GC.AllocateArray<byte>(1 << 16, pinned: true);
    private NetlinkSocket? _library;

    public FakeKernel()
    {
        int* fds = stackalloc int[2];
        Assert.Equal(0, LibC.socketpair(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0, fds));
        _libraryFd = fds[0];
        _library = NetlinkSocket.Adopt(fds[0]);
        _kernel = fds[1];
    }

    /// <summary>
    /// A kernel whose side takes little: the library's send buffer is <paramref name="sendBuffer"/> bytes (a larger
    /// datagram fails with EMSGSIZE, and a sender whose datagrams the fake has not read yet waits), and a send that
    /// waits longer than <paramref name="sendTimeout"/> fails with EAGAIN. Real errnos from a real socket.
    /// </summary>
    public FakeKernel(int sendBuffer, TimeSpan sendTimeout)
        : this()
    {
        int size = sendBuffer / 2; // the kernel doubles what it is given
        Assert.Equal(0, LibC.setsockopt(_libraryFd, LibC.SOL_SOCKET, LibC.SO_SNDBUF, &size, sizeof(int)));
        // SO_SNDTIMEO takes a struct timeval, the same layout as SO_RCVTIMEO's.
        ReceiveTimeout timeout = ReceiveTimeout.FromMilliseconds((int)sendTimeout.TotalMilliseconds);
        Assert.Equal(0, LibC.setsockopt(_libraryFd, LibC.SOL_SOCKET, LibC.SO_SNDTIMEO, &timeout, (socklen_t)sizeof(ReceiveTimeout)));
    }

    /// <summary>The library's end; the queue that takes it owns it.</summary>
    public NetlinkSocket TakeSocket()
    {
        NetlinkSocket socket = _library ?? throw new InvalidOperationException("already taken");
        _library = null;
        return socket;
    }

    public void Reply(ReadOnlySpan<byte> datagram)
    {
        fixed (byte* p = datagram)
        {
            // No Assert here: the allocation test sends through this in its measured loop.
            if ((long)LibC.send(_kernel, p, (size_t)(nuint)datagram.Length, 0) != datagram.Length)
            {
                throw new InvalidOperationException("the fake kernel could not send");
            }
        }
    }

    /// <summary>NLMSG_ERROR answering request <paramref name="sequence"/> (0 is an acknowledgement).</summary>
    public void Ack(uint sequence, int errno = 0) => Reply(AckMessage(sequence, errno));

    public static byte[] AckMessage(uint sequence, int errno)
    {
        byte[] message = new byte[36];
        BinaryPrimitives.WriteUInt32LittleEndian(message, 36);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), sequence);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(16), -errno);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(20), 28);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(24), 0x0302);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(26), 5);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(28), sequence);
        return message;
    }

    /// <summary>The next datagram the library sent, or null.</summary>
    public byte[]? Sent()
    {
        byte[] buffer = new byte[1 << 20];
        fixed (byte* p = buffer)
        {
            long length = LibC.recv(_kernel, p, (size_t)(nuint)buffer.Length, LibC.MSG_DONTWAIT);
            return length < 0 ? null : buffer[..(int)length];
        }
    }

    /// <summary>Reads and discards everything the library sent, without allocating; returns how many datagrams.</summary>
    public int Drain()
    {
        int count = 0;
        fixed (byte* p = _drain)
        {
            while ((long)LibC.recv(_kernel, p, (size_t)(nuint)_drain.Length, LibC.MSG_DONTWAIT) >= 0)
            {
                count++;
            }
        }

        return count;
    }

    public void Dispose()
    {
        _library?.Dispose();
        _ = LibC.close(_kernel);
    }
}
