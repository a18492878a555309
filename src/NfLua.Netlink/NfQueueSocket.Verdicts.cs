using NfLua.Netlink.Interop;
using NfLua.Netlink.Wire;

namespace NfLua.Netlink;

/// <content>Answering packets.</content>
public sealed partial class NfQueueSocket
{
    // The kernel refuses a datagram longer than the socket's send buffer (212992 by default) less 32 bytes.
    private const int MaxDatagram = 160 * 1024;
    private const int MaxPayload = ushort.MaxValue - NetlinkConstants.AttributeHeaderSize;

    /// <summary>Queues a verdict for packet <paramref name="id"/>; sent by <see cref="FlushVerdicts"/>.</summary>
    public void SetVerdict(uint id, NfVerdict verdict) => _writer.Add(id, verdict, mark: null);

    /// <summary>Queues a verdict that also sets the packet's mark.</summary>
    public void SetVerdict(uint id, NfVerdict verdict, uint mark) => _writer.Add(id, verdict, mark);

    /// <summary>
    /// Queues a verdict that replaces the packet with <paramref name="payload"/> (from the network header on;
    /// the caller fixes the IP header and L4 checksums). The bytes are copied.
    /// </summary>
    public void SetVerdictWithPayload(uint id, NfVerdict verdict, ReadOnlySpan<byte> payload, uint? mark = null)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payload.Length, MaxPayload, nameof(payload));
        _writer.AddWithPayload(id, verdict, mark, payload);
    }

    /// <summary>
    /// Sends every queued verdict in as few datagrams as possible (one unless payloads make it too big).
    /// Returns false when a send failed: the count is in <see cref="Statistics"/>, and those packets stay queued
    /// in the kernel until the socket closes.
    /// </summary>
    public bool FlushVerdicts()
    {
        ThrowIfDisposed();
        int verdicts = _writer.Count;
        if (verdicts == 0)
        {
            return true;
        }

        ReadOnlySpan<byte> datagram = _writer.Encode(ref _sequence, out int messages);
        bool ok = datagram.Length <= MaxDatagram ? SendVerdicts(datagram) : SendInChunks(datagram);
        if (ok)
        {
            _counters.VerdictsSent += verdicts;
            _counters.VerdictMessages += messages;
        }

        return ok;
    }

    private bool SendInChunks(ReadOnlySpan<byte> datagram)
    {
        var reader = new NetlinkMessageReader(datagram);
        int chunkStart = 0;
        int chunkEnd = 0;
        while (reader.Read(out NetlinkMessage message, out int offset) == NetlinkReadStatus.Item)
        {
            int end = Math.Min(datagram.Length, offset + NetlinkConstants.Align(message.Bytes.Length));
            if (end - chunkStart > MaxDatagram && chunkEnd > chunkStart)
            {
                if (!SendVerdicts(datagram[chunkStart..chunkEnd]))
                {
                    return false;
                }

                chunkStart = chunkEnd;
            }

            chunkEnd = end;
        }

        return SendVerdicts(datagram[chunkStart..chunkEnd]);
    }

    private bool SendVerdicts(ReadOnlySpan<byte> datagram)
    {
        int errno;
        do
        {
            errno = _socket.Send(datagram);
        }
        while (errno == Errno.Interrupted);

        if (errno == 0)
        {
            return true;
        }

        _counters.SendErrors++;
        _counters.LastErrno = errno;
        return false;
    }
}
