using NfLua.Netlink.Interop;
using NfLua.Netlink.Wire;

namespace NfLua.Netlink;

/// <content>Answering packets.</content>
public sealed partial class NfQueueSocket
{
    // The kernel refuses a datagram longer than the socket's send buffer (212992 by default) less 32 bytes.
    private const int MaxDatagram = 160 * 1024;
    private const int MaxPayload = ushort.MaxValue - NetlinkConstants.AttributeHeaderSize;

    // Sends of a whole flush before falling back to one verdict per send.
    private const int MaxBatchAttempts = 3;

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

    /// <summary>Verdicts set but not yet taken by the kernel (a failed flush keeps them for the next).</summary>
    public int PendingVerdicts => _writer.Count;

    /// <summary>
    /// Sends every pending verdict in as few datagrams as possible (one unless payloads make it too big). A verdict
    /// leaves only once its send succeeded: transient errors (EINTR, ENOBUFS, EAGAIN) are tried again a few times, then
    /// (or at once on any other error, such as EMSGSIZE) each verdict is sent on its own. Returns false when some are
    /// still unsent: they stay pending, first in line for the next flush, and the failure is counted in
    /// <see cref="Statistics"/>.
    /// </summary>
    public bool FlushVerdicts()
    {
        ThrowIfDisposed();
        if (_writer.Count == 0)
        {
            return true;
        }

        for (int attempt = 1; ; attempt++)
        {
            ReadOnlySpan<byte> datagram = _writer.Encode(ref _sequence, out int messages);
            int errno = SendMessages(datagram, messages);
            if (errno == 0)
            {
                return true;
            }

            if (attempt == MaxBatchAttempts || !IsTransient(errno))
            {
                break;
            }

            Thread.Sleep(attempt - 1); // 0, then 1 ms: room for the kernel to free buffers
        }

        // One verdict per send, oldest first: a failure stops here, so no later verdict can overtake an unsent one.
        while (_writer.Count > 0)
        {
            int errno = Send(_writer.EncodeOldest(ref _sequence));
            if (errno != 0)
            {
                return false;
            }

            Answered(messages: 1);
        }

        return true;
    }

    private static bool IsTransient(int errno) =>
        errno == Errno.Interrupted || errno == Errno.NoBufferSpace || errno == Errno.WouldBlock;

    /// <summary>Sends the encoded messages in datagrams of at most <see cref="MaxDatagram"/> bytes; returns the first failure's errno.</summary>
    private int SendMessages(ReadOnlySpan<byte> datagram, int messages)
    {
        int chunkStart = 0;
        int sentMessages = 0;
        for (int message = 0; message < messages; message++)
        {
            int end = _writer.MessageEnd(message);
            bool last = message == messages - 1;
            bool nextDoesNotFit = !last && _writer.MessageEnd(message + 1) - chunkStart > MaxDatagram;
            if (!last && !nextDoesNotFit)
            {
                continue;
            }

            int errno = Send(datagram[chunkStart..Math.Min(end, datagram.Length)]);
            if (errno != 0)
            {
                Answered(sentMessages);
                return errno;
            }

            sentMessages = message + 1;
            chunkStart = end;
        }

        Answered(sentMessages);
        return 0;
    }

    private void Answered(int messages)
    {
        _counters.VerdictsSent += _writer.Sent(messages);
        _counters.VerdictMessages += messages;
    }

    /// <summary>One send, repeated at once when a signal interrupted it; counts a failure.</summary>
    private int Send(ReadOnlySpan<byte> datagram)
    {
        int errno;
        do
        {
            errno = _socket.Send(datagram);
        }
        while (errno == Errno.Interrupted);

        if (errno != 0)
        {
            _counters.SendErrors++;
            _counters.LastErrno = errno;
        }

        return errno;
    }
}
