using System.Buffers.Binary;
using System.Runtime.InteropServices;
using NfLua.Packets;

namespace NfLua.Scripting.Streams;

// A flow and its two directions: handshake, acknowledgements, the kept bytes and the out-of-order pieces.
internal sealed unsafe partial class TcpStreams
{
    private struct Pending
    {
        public long NewEnd;
        public byte[]? Piece;
        public long PieceOffset;
        public bool Fin;
        public long FinOffset;
    }

    private sealed class Flow(FlowKey key)
    {
        public FlowKey Key { get; } = key;

        public Direction Forward { get; private set; } = new();

        public Direction Backward { get; private set; } = new();

        public LinkedListNode<Flow>? Node { get; set; }

        public long LastSeenMs { get; set; }

        public bool Closing { get; set; }

        public bool EvasionSuspected { get; set; }

        public StickyVerdict Sticky { get; set; }

        public Direction? AcceptBy { get; set; }

        public uint AcceptAt { get; set; }

        public bool HasBytes => Forward.Capacity != 0 || Backward.Capacity != 0 || Forward.PieceCount != 0 || Backward.PieceCount != 0;

        public void Reset(TcpStreams owner)
        {
            Free(owner);
            Forward = new Direction();
            Backward = new Direction();
            Closing = false;
            if (Sticky != StickyVerdict.Drop)
            {
                Sticky = StickyVerdict.None; // a new connection is judged afresh; a drop stays on the tuple
                AcceptBy = null;
            }
        }

        public void Free(TcpStreams owner)
        {
            owner.MemoryUsed -= Forward.Free() + Backward.Free();
        }
    }

    private sealed class Direction
    {
        private List<(long Offset, byte[] Bytes)>? _pieces; // sorted by offset

        public bool IsnKnown;
        public uint Isn;
        public int WindowScale = -1;
        public bool AckKnown;
        public uint AckSeen;   // the highest acknowledgement this side sent (for the other side's bytes)
        public long Window;    // this side's receive window, scaled
        public byte* Buffer;
        public int Capacity;
        public long Committed; // contiguous bytes kept, from the first byte after the SYN
        public bool FinKnown;
        public long FinOffset;
        public uint LastEnd;   // the sequence number after this side's last placed data

        public int PieceCount => _pieces?.Count ?? 0;

        public long PieceBytes { get; private set; }

        public void AddPiece(long offset, byte[] bytes)
        {
            _pieces ??= new List<(long, byte[])>(4);
            int at = 0;
            while (at < _pieces.Count && _pieces[at].Offset <= offset)
            {
                at++;
            }

            _pieces.Insert(at, (offset, bytes));
            PieceBytes += bytes.Length;
        }

        /// <summary>Drops the pieces wholly inside the committed bytes; returns the bytes freed.</summary>
        public long DropPiecesBelow(long committed)
        {
            if (_pieces is null)
            {
                return 0;
            }

            long freed = 0;
            for (int i = _pieces.Count - 1; i >= 0; i--)
            {
                (long offset, byte[] bytes) = _pieces[i];
                if (offset + bytes.Length <= committed)
                {
                    _pieces.RemoveAt(i);
                    PieceBytes -= bytes.Length;
                    freed += bytes.Length + PieceOverhead;
                }
            }

            return freed;
        }

        /// <summary>The contiguous end once the pieces touching <paramref name="end"/> join it.</summary>
        public long ContiguousEnd(long end)
        {
            if (_pieces is null)
            {
                return end;
            }

            foreach ((long offset, byte[] bytes) in _pieces)
            {
                if (offset > end)
                {
                    break;
                }

                end = Math.Max(end, offset + bytes.Length);
            }

            return end;
        }

        /// <summary>Writes the pieces' bytes in [from, to) into the buffer (after a tentative placement).</summary>
        public unsafe void CopyPieces(long from, long to)
        {
            if (_pieces is null)
            {
                return;
            }

            foreach ((long offset, byte[] bytes) in _pieces)
            {
                long start = Math.Max(offset, from);
                long stop = Math.Min(offset + bytes.Length, to);
                if (start < stop)
                {
                    bytes.AsSpan((int)(start - offset), (int)(stop - start)).CopyTo(new Span<byte>(Buffer + start, (int)(stop - start)));
                }
            }
        }

        public bool PieceConflicts(long offset, ReadOnlySpan<byte> bytes)
        {
            if (_pieces is null)
            {
                return false;
            }

            long end = offset + bytes.Length;
            foreach ((long pieceOffset, byte[] piece) in _pieces)
            {
                long start = Math.Max(offset, pieceOffset);
                long stop = Math.Min(end, pieceOffset + piece.Length);
                if (start < stop && !bytes.Slice((int)(start - offset), (int)(stop - start)).SequenceEqual(piece.AsSpan((int)(start - pieceOffset), (int)(stop - start))))
                {
                    return true;
                }
            }

            return false;
        }

        public bool Covers(long offset, int length)
        {
            if (_pieces is null)
            {
                return false;
            }

            foreach ((long pieceOffset, byte[] piece) in _pieces)
            {
                if (pieceOffset <= offset && offset + length <= pieceOffset + piece.Length)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Frees the buffer and pieces; returns the bytes they were charged.</summary>
        public unsafe long Free()
        {
            long freed = Capacity + PieceBytes + (PieceCount * (long)PieceOverhead);
            NativeMemory.Free(Buffer);
            Buffer = null;
            Capacity = 0;
            _pieces = null;
            PieceBytes = 0;
            return freed;
        }
    }
}
