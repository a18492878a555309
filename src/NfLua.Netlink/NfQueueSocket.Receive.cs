using NfLua.Netlink.Interop;
using NfLua.Netlink.Wire;

namespace NfLua.Netlink;

/// <content>Receiving batches of packets.</content>
public sealed partial class NfQueueSocket
{
    /// <summary>The packets of the last <see cref="Receive"/>.</summary>
    public int PacketCount => _packetCount;

    /// <summary>
    /// Waits up to <paramref name="timeoutMilliseconds"/> for packets and reads every datagram that is ready
    /// (up to <see cref="NfQueueOptions.BatchSize"/>) with one blocking recvmmsg (no separate poll). Returns how many packets arrived: 0 on
    /// timeout, on EINTR, on ENOBUFS (counted) or when only replies arrived. Packet views of the previous batch
    /// become invalid. Malformed and truncated messages are counted and skipped, never thrown.
    /// </summary>
    /// <param name="timeoutMilliseconds">How long to wait; 0 polls, -1 waits forever.</param>
    /// <exception cref="NfQueueException">The socket itself failed (for example EBADF); it cannot recover.</exception>
    public int Receive(int timeoutMilliseconds)
    {
        ThrowIfDisposed();
        if (_packetsFromConfigure)
        {
            _packetsFromConfigure = false;
            return _packetCount;
        }

        ReceiveCore(timeoutMilliseconds);
        return _packetCount;
    }

    /// <summary>Packet <paramref name="index"/> of the last batch, read in place.</summary>
    public NfQueuePacket GetPacket(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_packetCount, nameof(index));
        ref readonly ReceivedPacket packet = ref _packets[index];
        return new NfQueuePacket(_slots.Received(packet.Slot).Slice(packet.Start, packet.Length), ref _packets[index].Layout);
    }

    /// <summary>
    /// The payload of packet <paramref name="index"/>, writable in place (the receive buffer is this socket's
    /// until the next <see cref="Receive"/>): rewrite it, then pass it to <see cref="SetVerdictWithPayload"/>.
    /// Empty when the packet carried no payload.
    /// </summary>
    public Span<byte> GetWritablePayload(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_packetCount, nameof(index));
        ref readonly ReceivedPacket packet = ref _packets[index];
        return packet.Layout.Has(PacketFields.Payload)
            ? _slots.Writable(packet.Slot).Slice(packet.Start + packet.Layout.PayloadOffset, packet.Layout.PayloadLength)
            : default;
    }

    private void ReceiveCore(int timeoutMilliseconds)
    {
        _packetCount = 0;
        int errno = _socket.ReceiveManyWaiting(_slots, timeoutMilliseconds, out int datagrams);
        if (errno == 0)
        {
            for (int slot = 0; slot < datagrams; slot++)
            {
                if (_slots.IsTruncated(slot))
                {
                    _counters.Truncated++;
                    continue;
                }

                Dispatch(slot);
            }

            return;
        }

        if (errno == Errno.NoBufferSpace)
        {
            _counters.NoBufferErrors++;
        }
        else if (errno != Errno.WouldBlock && errno != Errno.Interrupted)
        {
            throw NfQueueErrors.SocketFailed(_options.QueueNumber, "receive", errno);
        }
    }

    private void Dispatch(int slot)
    {
        var reader = new NetlinkMessageReader(_slots.Received(slot));
        NetlinkReadStatus status;
        while ((status = reader.Read(out NetlinkMessage message, out int offset)) == NetlinkReadStatus.Item)
        {
            if (message.Type == NetlinkMessageType.QueuePacket)
            {
                AddPacket(slot, offset, message.Bytes);
            }
            else if (message.Type == NetlinkMessageType.Error)
            {
                AddReply(message);
            }
        }

        if (status == NetlinkReadStatus.Malformed)
        {
            _counters.Malformed++;
        }
    }

    private void AddPacket(int slot, int offset, ReadOnlySpan<byte> message)
    {
        if (!NfQueuePacketParser.TryParse(message, out PacketLayout layout))
        {
            _counters.Malformed++;
            return;
        }

        if (_packetCount == _packets.Length)
        {
            Array.Resize(ref _packets, _packets.Length * 2);
        }

        _packets[_packetCount++] = new ReceivedPacket { Slot = slot, Start = offset, Length = message.Length, Layout = layout };
        _counters.Packets++;
    }

    private void AddReply(NetlinkMessage message)
    {
        if (!NetlinkErrorMessage.TryParse(message, out int errno, out uint sequence))
        {
            _counters.Malformed++;
            return;
        }

        if (!_replies.TryRecord(sequence, errno) && errno != 0)
        {
            _counters.VerdictErrors++;
            _counters.LastErrno = errno;
        }
    }
}
