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
        ushort queue = _options.QueueNumber;

        // One datagram: BIND, the CONNTRACK probe (alone, so EOPNOTSUPP spoils nothing else), then PARAMS with
        // everything else. The kernel answers in order; packets can only arrive after PARAMS.
        Span<byte> datagram = stackalloc byte[NfQueueMessages.CommandSize + NfQueueMessages.FlagsSize + NfQueueMessages.ParametersSize];
        uint first = _sequence;
        int length = NfQueueMessages.WriteCommand(datagram, queue, _sequence++, NfQueueConfigCommand.Bind);
        if (_options.Conntrack)
        {
            length += NfQueueMessages.WriteFlags(datagram[length..], queue, _sequence++, NfQueueConfigFlags.Conntrack, NfQueueConfigFlags.Conntrack);
        }

        length += NfQueueMessages.WriteParameters(
            datagram[length..], queue, _sequence++, NfQueueCopyMode.Packet, _options.CopyRange, _options.MaxLength, RequestedFlags(), ConfiguredFlags);
        int requests = (int)(_sequence - first);
        _replies.Expect(first, requests);
        int errno = _socket.Send(datagram[..length]);
        if (errno != 0)
        {
            throw NfQueueErrors.BindFailed(queue, errno, holderPortId: null);
        }

        AwaitConfiguration(requests);
        NfConntrackSupport conntrack = !_options.Conntrack ? NfConntrackSupport.NotRequested
            : _replies.IsAnswered(1) && _replies.Errno(1) == 0 ? NfConntrackSupport.Enabled
            : NfConntrackSupport.NotSupported;
        _replies.Reset();
        Settings = new NfQueueSettings(
            queue, _socket.PortId, _options.MaxLength, Math.Min(_options.CopyRange, MaxCopyRange), _options.FailOpen, _options.Gso, _options.UidGid,
            conntrack, receiveBuffer, forced, noEnobufs);
    }

    private NfQueueConfigFlags RequestedFlags() =>
        (_options.FailOpen ? NfQueueConfigFlags.FailOpen : 0)
        | (_options.Gso ? NfQueueConfigFlags.Gso : 0)
        | (_options.UidGid ? NfQueueConfigFlags.UidGid : 0);

    private void AwaitConfiguration(int requests)
    {
        var clock = Stopwatch.StartNew();
        int last = requests - 1;
        while (true)
        {
            for (int i = 0; i < requests; i++)
            {
                bool isProbe = _options.Conntrack && i == 1;
                int errno = _replies.Errno(i);
                if (_replies.IsAnswered(i) && errno != 0 && !(isProbe && errno == Errno.NotSupported))
                {
                    throw NfQueueErrors.BindFailed(_options.QueueNumber, errno, errno == Errno.NotPermitted ? FindHolder() : null);
                }
            }

            // Packets flow only once PARAMS took effect, so they prove success even before its ack is read;
            // keep them for the first Receive.
            if (_replies.IsAnswered(last) || _packetCount > 0)
            {
                _packetsFromConfigure = _packetCount > 0;
                return;
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
