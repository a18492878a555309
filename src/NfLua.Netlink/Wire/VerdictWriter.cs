namespace NfLua.Netlink.Wire;

/// <summary>
/// Holds the verdicts of a queue until the kernel has them, and encodes them into one datagram: a VERDICT_BATCH for each
/// run of consecutive ids (in arrival order) sharing verdict and mark, a VERDICT for everything else. A VERDICT_BATCH
/// answers every queued id up to its own, so a verdict leaves this writer only once the send that carried it succeeded
/// (<see cref="Sent"/>): verdicts of a failed send stay first in line, and no later batch can cover their ids before
/// their own messages (docs/internals.md, "Verdicts"). Buffers grow to the largest batch seen, then steady state
/// allocates nothing.
/// </summary>
internal sealed class VerdictWriter
{
    private readonly ushort _queue;
    private readonly bool _useBatch;
    private PendingVerdict[] _pending;
    private byte[] _payloads;
    private byte[] _output;
    private int _payloadLength;

    // For each message of the last encoding: how many pending verdicts it and the messages before it answer, and
    // where it ends in the output.
    private int[] _answeredThrough;
    private int[] _messageEnds;
    private int _messages;

    public VerdictWriter(ushort queue, bool useBatch, int capacity)
    {
        _queue = queue;
        _useBatch = useBatch;
        _pending = new PendingVerdict[Math.Max(capacity, 1)];
        _payloads = [];
        _output = new byte[Math.Max(capacity, 1) * NfQueueMessages.VerdictSize(hasMark: true, payloadLength: -1)];
        _answeredThrough = new int[_pending.Length];
        _messageEnds = new int[_pending.Length];
    }

    /// <summary>Verdicts the kernel does not have yet.</summary>
    public int Count { get; private set; }

    public void Add(uint id, NfVerdict verdict, uint? mark) => Append(id, verdict, mark, payloadOffset: -1, payloadLength: 0);

    public void AddWithPayload(uint id, NfVerdict verdict, uint? mark, ReadOnlySpan<byte> payload)
    {
        if (_payloads.Length - _payloadLength < payload.Length)
        {
            Array.Resize(ref _payloads, Math.Max(_payloads.Length * 2, _payloadLength + payload.Length));
        }

        payload.CopyTo(_payloads.AsSpan(_payloadLength));
        Append(id, verdict, mark, _payloadLength, payload.Length);
        _payloadLength += payload.Length;
    }

    /// <summary>
    /// Encodes every pending verdict, numbering messages from <paramref name="sequence"/> on. They stay pending until
    /// <see cref="Sent"/> says how many of these messages the kernel took.
    /// </summary>
    /// <param name="sequence">The next sequence number; advanced past the messages written.</param>
    /// <param name="messages">How many messages the datagram holds.</param>
    public ReadOnlySpan<byte> Encode(ref uint sequence, out int messages)
    {
        EnsureOutputCapacity();
        int length = 0;
        _messages = 0;
        int i = 0;
        while (i < Count)
        {
            int runEnd = _useBatch ? RunEnd(i) : i;
            length += Write(length, ref sequence, i, runEnd);
            i = runEnd + 1;
        }

        messages = _messages;
        return _output.AsSpan(0, length);
    }

    /// <summary>Encodes the oldest pending verdict alone, as a VERDICT of its own (the fallback when batches fail).</summary>
    public ReadOnlySpan<byte> EncodeOldest(ref uint sequence)
    {
        EnsureOutputCapacity();
        _messages = 0;
        return _output.AsSpan(0, Write(0, ref sequence, 0, 0));
    }

    /// <summary>Where message <paramref name="message"/> of the last encoding ends in its datagram (aligned).</summary>
    public int MessageEnd(int message) => _messageEnds[message];

    /// <summary>
    /// The kernel took the first <paramref name="messages"/> messages of the last encoding: their verdicts leave the
    /// writer. Returns how many verdicts (packets) they answered.
    /// </summary>
    public int Sent(int messages)
    {
        if (messages <= 0)
        {
            return 0;
        }

        int answered = _answeredThrough[messages - 1];
        Count -= answered;
        if (Count == 0)
        {
            _payloadLength = 0;
        }
        else
        {
            // Rare (a send failed part way): keep the unsent in arrival order; their payloads stay where they are.
            Array.Copy(_pending, answered, _pending, 0, Count);
        }

        _messages = 0;
        return answered;
    }

    /// <summary>Drops every pending verdict without encoding it.</summary>
    public void Clear()
    {
        Count = 0;
        _payloadLength = 0;
        _messages = 0;
    }

    private int Write(int offset, ref uint sequence, int first, int last)
    {
        ref readonly PendingVerdict entry = ref _pending[last];
        bool batch = last > first;
        bool hasPayload = !batch && entry.PayloadOffset >= 0;
        ReadOnlySpan<byte> payload = hasPayload ? _payloads.AsSpan(entry.PayloadOffset, entry.PayloadLength) : default;
        int written = NfQueueMessages.WriteVerdict(
            _output.AsSpan(offset), _queue, sequence++, batch, entry.Verdict, entry.Id, entry.HasMark, entry.Mark, payload, hasPayload);
        _answeredThrough[_messages] = last + 1;
        _messageEnds[_messages] = Math.Min(offset + Interop.NetlinkConstants.Align(written), _output.Length);
        _messages++;
        return written;
    }

    private int RunEnd(int start)
    {
        ref readonly PendingVerdict first = ref _pending[start];
        if (first.PayloadOffset >= 0)
        {
            return start;
        }

        int end = start;
        while (end + 1 < Count)
        {
            ref readonly PendingVerdict next = ref _pending[end + 1];
            if (next.PayloadOffset >= 0 || next.Verdict != first.Verdict || next.HasMark != first.HasMark
                || next.Mark != first.Mark || next.Id != _pending[end].Id + 1)
            {
                break;
            }

            end++;
        }

        return end;
    }

    private void Append(uint id, NfVerdict verdict, uint? mark, int payloadOffset, int payloadLength)
    {
        if (Count == _pending.Length)
        {
            Array.Resize(ref _pending, _pending.Length * 2);
            Array.Resize(ref _answeredThrough, _pending.Length);
            Array.Resize(ref _messageEnds, _pending.Length);
        }

        _pending[Count++] = new PendingVerdict(id, verdict.Value, mark.HasValue, mark.GetValueOrDefault(), payloadOffset, payloadLength);
    }

    private void EnsureOutputCapacity()
    {
        int needed = 0;
        for (int i = 0; i < Count; i++)
        {
            ref readonly PendingVerdict entry = ref _pending[i];
            needed += NfQueueMessages.VerdictSize(entry.HasMark, entry.PayloadOffset >= 0 ? entry.PayloadLength : -1);
        }

        if (_output.Length < needed)
        {
            _output = new byte[Math.Max(needed, _output.Length * 2)];
        }
    }

    private readonly record struct PendingVerdict(uint Id, uint Verdict, bool HasMark, uint Mark, int PayloadOffset, int PayloadLength);
}
