namespace NfLua.Netlink.Wire;

/// <summary>
/// Collects the verdicts of one batch and encodes them into one datagram: a VERDICT_BATCH for each run of
/// consecutive ids (in arrival order) sharing verdict and mark, a VERDICT for everything else. A VERDICT_BATCH
/// answers every queued id up to its own, so batching assumes every earlier packet has been answered already.
/// Buffers grow to the largest batch seen, then steady state allocates nothing.
/// </summary>
internal sealed class VerdictWriter
{
    private readonly ushort _queue;
    private readonly bool _useBatch;
    private PendingVerdict[] _pending;
    private byte[] _payloads;
    private byte[] _output;
    private int _payloadLength;

    public VerdictWriter(ushort queue, bool useBatch, int capacity)
    {
        _queue = queue;
        _useBatch = useBatch;
        _pending = new PendingVerdict[Math.Max(capacity, 1)];
        _payloads = [];
        _output = new byte[Math.Max(capacity, 1) * NfQueueMessages.VerdictSize(hasMark: true, payloadLength: -1)];
    }

    /// <summary>Verdicts waiting to be encoded.</summary>
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
    /// Encodes every pending verdict, numbering messages from <paramref name="sequence"/> on, and clears them.
    /// </summary>
    /// <param name="sequence">The next sequence number; advanced past the messages written.</param>
    /// <param name="messages">How many messages the datagram holds.</param>
    public ReadOnlySpan<byte> Encode(ref uint sequence, out int messages)
    {
        EnsureOutputCapacity();
        int length = 0;
        messages = 0;
        int i = 0;
        while (i < Count)
        {
            ref readonly PendingVerdict first = ref _pending[i];
            int runEnd = _useBatch ? RunEnd(i) : i;
            if (runEnd > i)
            {
                ref readonly PendingVerdict last = ref _pending[runEnd];
                length += NfQueueMessages.WriteVerdict(
                    _output.AsSpan(length), _queue, sequence++, batch: true, last.Verdict, last.Id, last.HasMark, last.Mark, default, hasPayload: false);
            }
            else
            {
                bool hasPayload = first.PayloadOffset >= 0;
                ReadOnlySpan<byte> payload = hasPayload ? _payloads.AsSpan(first.PayloadOffset, first.PayloadLength) : default;
                length += NfQueueMessages.WriteVerdict(
                    _output.AsSpan(length), _queue, sequence++, batch: false, first.Verdict, first.Id, first.HasMark, first.Mark, payload, hasPayload);
            }

            messages++;
            i = runEnd + 1;
        }

        Count = 0;
        _payloadLength = 0;
        return _output.AsSpan(0, length);
    }

    /// <summary>Drops every pending verdict without encoding it.</summary>
    public void Clear()
    {
        Count = 0;
        _payloadLength = 0;
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
