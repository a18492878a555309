using System.Runtime.InteropServices;
using Tmds.Linux;

namespace NfLua.Netlink.Interop;

/// <summary>
/// A raw AF_NETLINK/NETLINK_NETFILTER socket. Every call returns 0 or an errno read right after the call; only a
/// call after <see cref="Dispose"/> throws (ObjectDisposedException). Owned by one thread; a Dispose from another
/// thread while a call is in progress closes the descriptor once that call returns.
/// </summary>
internal sealed unsafe class NetlinkSocket : IDisposable
{
    private readonly SafeNetlinkHandle _handle;

    // The SO_RCVTIMEO in force, in milliseconds (-1: none); set again only when a caller asks for another.
    private int _receiveTimeoutMilliseconds = -1;

    private NetlinkSocket(int fd) => _handle = new SafeNetlinkHandle(fd);

    /// <summary>The port id the kernel assigned at bind (the <c>portid</c> column of /proc).</summary>
    public uint PortId { get; private set; }

    /// <summary>Opens the socket with SOCK_CLOEXEC and binds it with pid 0 so the kernel picks the port id.</summary>
    public static int Open(out NetlinkSocket? socket) => Open(NetlinkConstants.ProtocolNetfilter, 0, out socket);

    /// <summary>Opens a socket of another netlink family, joined to the multicast <paramref name="groups"/>.</summary>
    public static int Open(int protocol, uint groups, out NetlinkSocket? socket)
    {
        socket = null;
        int fd = LibC.socket(NetlinkConstants.AddressFamilyNetlink, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol);
        if (fd < 0)
        {
            return LibC.errno;
        }

        var candidate = new NetlinkSocket(fd);
        int error = candidate.BindToKernelChosenPort(groups);
        if (error != 0)
        {
            candidate.Dispose();
            return error;
        }

        socket = candidate;
        return 0;
    }

    private int BindToKernelChosenPort(uint groups)
    {
        using var lease = new Lease(_handle);
        var address = new NetlinkSocketAddress { nl_family = NetlinkConstants.AddressFamilyNetlink, nl_groups = groups };
        if (LibC.bind(lease.Fd, (sockaddr*)&address, sizeof(NetlinkSocketAddress)) < 0)
        {
            return LibC.errno;
        }

        socklen_t length = sizeof(NetlinkSocketAddress);
        if (LibC.getsockname(lease.Fd, (sockaddr*)&address, &length) < 0)
        {
            return LibC.errno;
        }

        PortId = address.nl_pid;
        return 0;
    }

    /// <summary>Wraps a descriptor this object will own (tests use a socketpair to exercise recvmmsg).</summary>
    internal static NetlinkSocket Adopt(int fd) => new(fd);

    /// <summary>setsockopt with an int value.</summary>
    public int SetOption(int level, int name, int value)
    {
        using var lease = new Lease(_handle);
        return LibC.setsockopt(lease.Fd, level, name, &value, sizeof(int)) < 0 ? LibC.errno : 0;
    }

    /// <summary>
    /// Asks for a receive buffer of <paramref name="bytes"/>: SO_RCVBUFFORCE when <paramref name="force"/>
    /// (needs CAP_NET_ADMIN), SO_RCVBUF otherwise (capped by net.core.rmem_max).
    /// </summary>
    public int SetReceiveBufferSize(int bytes, bool force) =>
        SetOption(LibC.SOL_SOCKET, force ? LibC.SO_RCVBUFFORCE : LibC.SO_RCVBUF, bytes);

    /// <summary>The receive buffer the kernel granted (SO_RCVBUF; twice what was asked, for its bookkeeping).</summary>
    public int GetReceiveBufferSize(out int bytes) => GetOption(LibC.SOL_SOCKET, LibC.SO_RCVBUF, out bytes);

    /// <summary>getsockopt of an int value.</summary>
    public int GetOption(int level, int name, out int value)
    {
        using var lease = new Lease(_handle);
        int result = 0;
        socklen_t length = sizeof(int);
        int error = LibC.getsockopt(lease.Fd, level, name, &result, &length) < 0 ? LibC.errno : 0;
        value = result;
        return error;
    }

    /// <summary>Waits with poll(2) until a datagram is readable or the timeout passes.</summary>
    /// <returns>0 when readable, EAGAIN on timeout, another errno on failure.</returns>
    public int WaitReadable(int timeoutMilliseconds)
    {
        using var lease = new Lease(_handle);
        var descriptor = new pollfd { fd = lease.Fd, events = LibC.POLLIN };
        int ready = LibC.poll(&descriptor, 1, timeoutMilliseconds);
        if (ready < 0)
        {
            return LibC.errno;
        }

        return ready == 0 ? LibC.EAGAIN : 0;
    }

    /// <summary>Receives one datagram into <paramref name="buffer"/> (waiting at most <paramref name="timeoutMilliseconds"/>).</summary>
    /// <returns>0 and the datagram's length; EAGAIN on timeout; another errno on failure (ENOBUFS: messages were lost).</returns>
    public int Receive(Span<byte> buffer, int timeoutMilliseconds, out int length)
    {
        length = 0;
        int ready = WaitReadable(timeoutMilliseconds);
        if (ready != 0)
        {
            return ready;
        }

        using var lease = new Lease(_handle);
        fixed (byte* data = buffer)
        {
            long received = LibC.recv(lease.Fd, data, (size_t)(nuint)buffer.Length, LibC.MSG_DONTWAIT);
            if (received < 0)
            {
                return LibC.errno;
            }

            length = (int)received;
            return 0;
        }
    }

    /// <summary>Sends one datagram (which may hold many netlink messages) to the kernel.</summary>
    public int Send(ReadOnlySpan<byte> datagram)
    {
        using var lease = new Lease(_handle);
        fixed (byte* data = datagram)
        {
            long sent = LibC.send(lease.Fd, data, (size_t)(nuint)datagram.Length, LibC.MSG_NOSIGNAL);
            return sent < 0 ? LibC.errno : 0;
        }
    }

    /// <summary>Receives up to <see cref="MessageSlots.Count"/> datagrams without blocking (recvmmsg).</summary>
    public int ReceiveMany(MessageSlots slots, out int count)
    {
        using var lease = new Lease(_handle);
        int received = slots.ReceiveFrom(lease.Fd);
        int error = received < 0 ? Marshal.GetLastPInvokeError() : 0;
        count = received < 0 ? 0 : received;
        return error;
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMilliseconds"/> for a first datagram and takes it with every other one ready
    /// by then, in one blocking recvmmsg(MSG_WAITFORONE) under SO_RCVTIMEO: one syscall per batch where poll and a
    /// non-blocking recvmmsg take two (that second wake-up is latency with one packet in flight).
    /// </summary>
    /// <param name="slots">Where the datagrams go.</param>
    /// <param name="timeoutMilliseconds">How long to wait; 0 does not wait, negative waits forever.</param>
    /// <param name="count">How many datagrams arrived.</param>
    /// <returns>0, EAGAIN on timeout, another errno on failure.</returns>
    public int ReceiveManyWaiting(MessageSlots slots, int timeoutMilliseconds, out int count)
    {
        if (timeoutMilliseconds == 0)
        {
            return ReceiveMany(slots, out count);
        }

        using var lease = new Lease(_handle);
        int wanted = Math.Max(timeoutMilliseconds, -1);
        if (wanted != _receiveTimeoutMilliseconds)
        {
            ReceiveTimeout timeout = ReceiveTimeout.FromMilliseconds(wanted);
            if (LibC.setsockopt(lease.Fd, LibC.SOL_SOCKET, ReceiveTimeout.SocketOption, &timeout, (socklen_t)sizeof(ReceiveTimeout)) < 0)
            {
                count = 0;
                return LibC.errno;
            }

            _receiveTimeoutMilliseconds = wanted;
        }

        int received = slots.ReceiveFrom(lease.Fd, ReceiveTimeout.WaitForOne);
        int error = received < 0 ? Marshal.GetLastPInvokeError() : 0;
        count = received < 0 ? 0 : received;
        return error;
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();

    /// <summary>The descriptor, held open for the duration of one call.</summary>
    private readonly ref struct Lease
    {
        private readonly SafeNetlinkHandle _handle;

        public Lease(SafeNetlinkHandle handle)
        {
            bool added = false;
            handle.DangerousAddRef(ref added); // throws ObjectDisposedException once the socket is closed
            _handle = handle;
            Fd = (int)handle.DangerousGetHandle();
        }

        public int Fd { get; }

        public void Dispose() => _handle.DangerousRelease();
    }
}
