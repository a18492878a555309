using System.Diagnostics;
using NfLua.Netlink.Interop;
using NfLua.Netlink.Wire;

namespace NfLua.Netlink;

/// <content>Binding and configuring the queue.</content>
public sealed partial class NfQueueSocket
{
    // NFQNL_MAX_COPY_RANGE: the kernel caps the copy range so the payload fits one attribute (0xffff - NLA_HDRLEN).
    private const uint MaxCopyRange = 0xFFFF - NetlinkConstants.AttributeHeaderSize;

    private const NfQueueConfigFlags ConfiguredFlags = NfQueueConfigFlags.FailOpen | NfQueueConfigFlags.Gso | NfQueueConfigFlags.UidGid;

    private void Configure()
    {
        bool noEnobufs = _socket.SetOption(NetlinkConstants.SolNetlink, (int)NetlinkSocketOption.NoEnobufs, 1) == 0;
        (int receiveBuffer, bool forced) = SizeReceiveBuffer();
        if (_options.SendBufferSize > 0)
        {
            _ = _socket.SetOption(Tmds.Linux.LibC.SOL_SOCKET, Tmds.Linux.LibC.SO_SNDBUF, _options.SendBufferSize);
        }

        ushort queue = _options.QueueNumber;

        // BIND with everything else in one message (NfQueueMessages.WriteBind says why), CONNTRACK included when
        // asked for. The kernel checks the flags before it binds, so a kernel without conntrack support refuses
        // the message whole with EOPNOTSUPP and binds nothing: then bind again without it.
        NfConntrackSupport conntrack = NfConntrackSupport.NotRequested;
        if (_options.Conntrack)
        {
            int errno = Bind(RequestedFlags() | NfQueueConfigFlags.Conntrack, ConfiguredFlags | NfQueueConfigFlags.Conntrack);
            conntrack = errno == 0 ? NfConntrackSupport.Enabled
                : errno == Errno.NotSupported ? NfConntrackSupport.NotSupported
                : throw BindFailed(errno);
        }

        if (conntrack != NfConntrackSupport.Enabled && Bind(RequestedFlags(), ConfiguredFlags) is int refused and not 0)
        {
            throw BindFailed(refused);
        }

        Settings = new NfQueueSettings(
            queue, _socket.PortId, _options.MaxLength, Math.Min(_options.CopyRange, MaxCopyRange), _options.FailOpen, _options.Gso, _options.UidGid,
            conntrack, receiveBuffer, forced, noEnobufs);
    }

    private NfQueueException BindFailed(int errno) =>
        NfQueueErrors.BindFailed(_options.QueueNumber, errno, errno == Errno.NotPermitted ? FindHolder() : null);

    private NfQueueConfigFlags RequestedFlags() =>
        (_options.FailOpen ? NfQueueConfigFlags.FailOpen : 0)
        | (_options.Gso ? NfQueueConfigFlags.Gso : 0)
        | (_options.UidGid ? NfQueueConfigFlags.UidGid : 0);

    /// <summary>Sends one BIND message with <paramref name="flags"/> and waits for its answer; returns its errno.</summary>
    private int Bind(NfQueueConfigFlags flags, NfQueueConfigFlags mask)
    {
        Span<byte> message = stackalloc byte[NfQueueMessages.BindSize];
        uint sequence = _sequence++;
        int length = NfQueueMessages.WriteBind(message, _options.QueueNumber, sequence, NfQueueCopyMode.Packet, _options.CopyRange, _options.MaxLength, flags, mask);
        _replies.Expect(sequence, 1);
        int errno = _socket.Send(message[..length]);
        if (errno != 0)
        {
            throw NfQueueErrors.BindFailed(_options.QueueNumber, errno, holderPortId: null);
        }

        errno = AwaitAnswer();
        _replies.Reset();
        return errno;
    }

    /// <summary>Waits for the answer to the BIND message; packets count as success (they flow only once it took effect).</summary>
    private int AwaitAnswer()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_replies.IsAnswered(0))
            {
                // Packets read along with the answer are kept for the first Receive.
                _packetsFromConfigure = _packetCount > 0;
                return _replies.Errno(0);
            }

            // The answer may come after packets in the same read: they prove success.
            if (_packetCount > 0)
            {
                _packetsFromConfigure = true;
                return 0;
            }

            long remaining = (long)(_options.ConfigureTimeout - clock.Elapsed).TotalMilliseconds;
            if (remaining <= 0)
            {
                throw NfQueueErrors.ConfigureTimedOut(_options.QueueNumber, _options.ConfigureTimeout);
            }

            ReceiveCore((int)Math.Min(remaining, int.MaxValue));
        }
    }

    private uint? FindHolder()
    {
        foreach (NfQueueKernelCounters entry in NfQueueProcReader.Read())
        {
            if (entry.QueueNumber == _options.QueueNumber && entry.PortId != _socket.PortId)
            {
                return entry.PortId;
            }
        }

        return null;
    }
}
