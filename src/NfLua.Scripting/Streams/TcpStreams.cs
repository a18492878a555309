using System.Buffers.Binary;
using System.Runtime.InteropServices;
using NfLua.Packets;

namespace NfLua.Scripting.Streams;

/// <summary>
/// One rule's TCP streams and sticky flow verdicts (docs/streams.md). Before each call the host shows it the
/// packet (<see cref="Begin"/>): it follows the handshake, acknowledgements and windows, places the packet's bytes
/// tentatively in its direction's stream and says what the rule will see; after the queue's final verdict
/// (<see cref="End"/>) the bytes are kept if the packet was accepted and forgotten if not, so the stream is
/// always what the receiver can have been given. Bytes live in native memory outside the rule's Lua heap,
/// bounded by the rule's memory limit; flows are bounded in number and expire when idle.
/// </summary>
internal sealed unsafe partial class TcpStreams : IDisposable
{
    /// <summary>The default stream depth per direction (like Suricata's reassembly depth, smaller).</summary>
    public const int DefaultDepth = 16 * 1024;

    /// <summary>The largest depth a rule may ask for.</summary>
    public const int MaxDepth = 1024 * 1024;

    /// <summary>Out-of-order pieces a direction may hold at once.</summary>
    public const int MaxPieces = 32;

    /// <summary>Bytes a flow record costs besides its buffers (charged to the memory bound).</summary>
    public const int FlowOverhead = 256;

    /// <summary>Bytes an out-of-order piece costs besides its payload.</summary>
    public const int PieceOverhead = 64;

    private const byte Fin = 0x01, Syn = 0x02, Rst = 0x04, Ack = 0x10;

    private readonly Dictionary<FlowKey, Flow> _flows = new();
    private readonly LinkedList<Flow> _byAge = new(); // most recently seen first
    private readonly int _capacity;
    private readonly long _idleMs;
    private readonly long _memoryLimit;

    // The packet being judged.
    private Flow? _flow;
    private Direction? _direction;
    private Pending _pending;

    public TcpStreams(int capacity, long idleMs, long memoryLimit)
    {
        _capacity = Math.Max(1, capacity);
        _idleMs = Math.Max(1, idleMs);
        _memoryLimit = memoryLimit > 0 ? memoryLimit : long.MaxValue;
    }

    /// <summary>Bytes kept per direction; 0 while the rule tracks flow verdicts only (no <c>nflua.want_stream</c>).</summary>
    public int Depth { get; private set; }

    /// <summary>Flows tracked now.</summary>
    public int Count => _flows.Count;

    /// <summary>Bytes held now: buffers, out-of-order pieces and flow records.</summary>
    public long MemoryUsed { get; private set; }

    /// <summary>What the current packet's stream is.</summary>
    public StreamStatus Status { get; private set; }

    /// <summary>The current packet's stream bytes when <see cref="Status"/> is <see cref="StreamStatus.Ready"/>: from the first byte after the SYN.</summary>
    public byte* ViewData { get; private set; }

    /// <summary>The length of <see cref="ViewData"/>.</summary>
    public int ViewLength { get; private set; }

    /// <summary>The counters, for stats.</summary>
    public StreamCounters Counters { get; } = new();

    /// <summary>Turns byte tracking on (<c>nflua.want_stream(depth)</c>); the depth only grows.</summary>
    public void WantStream(int depth) => Depth = Math.Max(Depth, Math.Clamp(depth, 1, MaxDepth));

    /// <summary>
    /// Shows the tracker a packet before the rule's call. Returns the verdict the packet gets without a call (a sticky
    /// flow verdict, or a drop the stream's invariants force), or null when the rule is to be called.
    /// </summary>
    /// <param name="packet">The packet, from its network header.</param>
    /// <param name="nowMs">Its time (flows expire by it).</param>
    /// <param name="checksumComplete">Whether its checksums are complete: a TCP segment with a wrong one is then dropped
    /// unseen, as its receiver would drop it (a decoy must not become stream bytes).</param>
    public FilterVerdict? Begin(ReadOnlySpan<byte> packet, long nowMs, bool checksumComplete = false)
    {
        _flow = null;
        _direction = null;
        _pending = default;
        Status = StreamStatus.NotTracked;
        ViewData = null;
        ViewLength = 0;
        if (!PacketParser.TryParse(packet, out PacketInfo info) || (info.IsFragment && !info.IsFirstFragment))
        {
            return null;
        }

        FlowKey key = FlowKey.FromPacket(packet, info);
        bool canonical = key.IsCanonical;
        FlowKey flowKey = canonical ? key : key.Reverse();
        Flow? flow = Find(flowKey, nowMs);
        bool tcp = info.Protocol == IpProtocol.Tcp && info.HasTransportHeader;
        if (flow is null)
        {
            if (Depth == 0 || !tcp)
            {
                return null;
            }

            flow = Add(flowKey, nowMs);
            if (flow is null)
            {
                Counters.FlowsRefused++;
                return null;
            }
        }

        _flow = flow;
        Direction direction = canonical ? flow.Forward : flow.Backward;
        Direction reverse = canonical ? flow.Backward : flow.Forward;
        _direction = direction;
        if (flow.Sticky == StickyVerdict.Drop)
        {
            Counters.StickyDrops++;
            return FilterVerdict.Drop;
        }

        if (!tcp)
        {
            if (flow.Sticky == StickyVerdict.Accept)
            {
                Counters.StickyAccepts++;
                return FilterVerdict.Accept;
            }

            return null;
        }

        if (checksumComplete && Depth > 0 && !info.IsTruncated && !Checksums.IsTcpChecksumValid(packet, info))
        {
            Counters.BadChecksums++;
            Status = StreamStatus.Invalid;
            return FilterVerdict.Drop;
        }

        ReadOnlySpan<byte> header = info.GetTransportHeader(packet);
        uint seq = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        uint ack = BinaryPrimitives.ReadUInt32BigEndian(header[8..]);
        byte flags = header[13];
        uint window = BinaryPrimitives.ReadUInt16BigEndian(header[14..]);

        if ((flags & Ack) != 0 && (flags & Rst) == 0)
        {
            if (!direction.AckKnown || SerialAfter(ack, direction.AckSeen))
            {
                direction.AckSeen = ack;
            }

            direction.AckKnown = true;
            direction.Window = (flags & Syn) != 0 ? window : window << Math.Max(direction.WindowScale, 0);
            if (flow.Sticky == StickyVerdict.AcceptPending && flow.AcceptBy == reverse && !SerialAfter(flow.AcceptAt, direction.AckSeen))
            {
                flow.Sticky = StickyVerdict.Accept; // the receiver has every byte the accept was based on
            }
        }

        if (flow.Sticky == StickyVerdict.Accept)
        {
            Counters.StickyAccepts++;
            return FilterVerdict.Accept;
        }

        if (Depth == 0)
        {
            return null; // flow verdicts only
        }

        if ((flags & Syn) != 0)
        {
            if (!direction.IsnKnown || flow.Closing)
            {
                if (flow.Closing && direction.IsnKnown)
                {
                    flow.Reset(this); // a new connection on a closed tuple
                }

                direction.IsnKnown = true;
                direction.Isn = seq;
                direction.WindowScale = WindowScale(header, info.TransportHeaderLength);
            }

            if (info.PayloadLength > 0)
            {
                Status = StreamStatus.SynData;
                return null;
            }

            Status = StreamStatus.NoData;
            return null;
        }

        if ((flags & Rst) != 0)
        {
            flow.Closing = true; // never ends inspection: comparison goes on (a fake RST must not make us forget)
            Status = StreamStatus.NoData;
            return null;
        }

        int length = info.PayloadLength;
        if (length == 0 && (flags & Fin) == 0)
        {
            Status = StreamStatus.NoData;
            return null;
        }

        if (!direction.IsnKnown)
        {
            Counters.Midstream++;
            Status = StreamStatus.Midstream;
            return null; // nothing is placed, so a packet the copy range cut is the rule's to judge
        }

        if (info.IsTruncated)
        {
            Counters.Truncated++;
            Status = StreamStatus.Truncated;
            return FilterVerdict.Drop;
        }

        if ((flags & Ack) == 0 && reverse.IsnKnown)
        {
            return Invalid(); // Linux discards data without ACK once the handshake is done
        }

        long offset = (int)(seq - (direction.Isn + 1)); // serial distance from the first stream byte
        long end = offset + length;
        if (reverse.AckKnown)
        {
            // Already acknowledged by the receiver: a retransmission (or a keep-alive's garbage byte) it ignores.
            long acked = (int)(reverse.AckSeen - (direction.Isn + 1));
            if (end <= acked && (flags & Fin) == 0)
            {
                Status = StreamStatus.NoData;
                return null;
            }

            // Past the right edge of the receiver's window: the receiver drops it, so must we.
            if (end > acked + Math.Max(reverse.Window, 1))
            {
                return Invalid();
            }
        }

        if (end <= 0 && length > 0)
        {
            return Invalid(); // entirely before the stream's first byte
        }

        if (direction.FinKnown && end > direction.FinOffset)
        {
            return Invalid(); // data after the FIN
        }

        int skip = offset < 0 ? (int)-offset : 0; // bytes before the first stream byte are not stream bytes
        offset += skip;
        ReadOnlySpan<byte> bytes = info.GetPayload(packet)[skip..];
        if ((flags & Fin) != 0 && offset <= direction.Committed)
        {
            _pending.Fin = true;
            _pending.FinOffset = end;
        }

        if (bytes.IsEmpty)
        {
            Status = StreamStatus.NoData;
            return null;
        }

        if (offset >= Depth)
        {
            Counters.DepthReached++;
            Status = StreamStatus.DepthReached;
            return null;
        }

        bytes = bytes[..(int)Math.Min(bytes.Length, Depth - offset)];
        end = offset + bytes.Length;
        if (Conflicts(direction, offset, bytes))
        {
            Counters.Conflicts++;
            flow.EvasionSuspected = true;
            Status = StreamStatus.Conflict;
            return FilterVerdict.Drop;
        }

        if (offset > direction.Committed)
        {
            return Hole(direction, offset, bytes);
        }

        return Place(direction, offset, bytes);
    }

    /// <summary>The queue's final verdict on the packet shown last: keeps its bytes when it was accepted.</summary>
    public void End(bool accepted)
    {
        Direction? direction = _direction;
        if (accepted && direction is not null && _flow is not null)
        {
            if (_pending.Piece is { } piece)
            {
                direction.AddPiece(_pending.PieceOffset, piece);
                MemoryUsed += piece.Length + PieceOverhead;
            }

            if (_pending.NewEnd > direction.Committed)
            {
                direction.Committed = _pending.NewEnd;
                MemoryUsed -= direction.DropPiecesBelow(direction.Committed);
            }

            if (_pending.Fin && !direction.FinKnown)
            {
                direction.FinKnown = true;
                direction.FinOffset = _pending.FinOffset;
                _flow.Closing = true;
            }
        }

        _flow = null;
        _direction = null;
        _pending = default;
    }

    public void Dispose()
    {
        foreach (Flow flow in _flows.Values)
        {
            flow.Free(this);
        }

        _flows.Clear();
        _byAge.Clear();
        MemoryUsed = 0;
    }

    private FilterVerdict? Invalid()
    {
        Counters.Invalid++;
        Status = StreamStatus.Invalid;
        return FilterVerdict.Drop;
    }

    private FilterVerdict? Hole(Direction direction, long offset, ReadOnlySpan<byte> bytes)
    {
        // Inside a piece already held with the same bytes: nothing new (a retransmission).
        if (direction.Covers(offset, bytes.Length))
        {
            Status = StreamStatus.Hole;
            return null;
        }

        long cost = bytes.Length + PieceOverhead;
        if (direction.PieceCount >= MaxPieces || direction.PieceBytes + bytes.Length > Depth || !Reserve(cost))
        {
            Counters.NoRoom++;
            Status = StreamStatus.NoRoom;
            return FilterVerdict.Drop; // never pass what could not be kept: the sender retransmits
        }

        _pending.Piece = bytes.ToArray();
        _pending.PieceOffset = offset;
        Counters.OutOfOrder++;
        Status = StreamStatus.Hole;
        return null;
    }

    private FilterVerdict? Place(Direction direction, long offset, ReadOnlySpan<byte> bytes)
    {
        long end = offset + bytes.Length;
        long newEnd = Math.Max(direction.Committed, end);
        newEnd = direction.ContiguousEnd(newEnd); // remembered pieces that now join
        if (!Grow(direction, (int)newEnd))
        {
            Counters.NoRoom++;
            Status = StreamStatus.NoRoom;
            return FilterVerdict.Drop;
        }

        // Tentative: written past the committed end, which stays where it is until the packet is accepted.
        if (end > direction.Committed)
        {
            int from = (int)(direction.Committed - offset);
            bytes[from..].CopyTo(new Span<byte>(direction.Buffer + direction.Committed, bytes.Length - from));
        }

        direction.CopyPieces(end, newEnd);
        direction.LastEnd = direction.Isn + 1 + (uint)end;
        _pending.NewEnd = newEnd;
        Status = StreamStatus.Ready;
        ViewData = direction.Buffer;
        ViewLength = (int)newEnd;
        return null;
    }

    private static bool Conflicts(Direction direction, long offset, ReadOnlySpan<byte> bytes)
    {
        long end = offset + bytes.Length;
        if (offset < direction.Committed)
        {
            long overlap = Math.Min(end, direction.Committed) - offset;
            if (!bytes[..(int)overlap].SequenceEqual(new ReadOnlySpan<byte>(direction.Buffer + offset, (int)overlap)))
            {
                return true;
            }
        }

        return direction.PieceConflicts(offset, bytes);
    }

    private static int WindowScale(ReadOnlySpan<byte> header, int headerLength)
    {
        for (int i = 20; i < headerLength && i < header.Length;)
        {
            byte kind = header[i];
            if (kind == 0)
            {
                break;
            }

            if (kind == 1)
            {
                i++;
                continue;
            }

            if (i + 1 >= header.Length || header[i + 1] < 2)
            {
                break;
            }

            if (kind == 3 && header[i + 1] == 3 && i + 2 < header.Length)
            {
                return Math.Min((int)header[i + 2], 14);
            }

            i += header[i + 1];
        }

        return -1;
    }

    private static bool SerialAfter(uint a, uint b) => (int)(a - b) > 0;
}
