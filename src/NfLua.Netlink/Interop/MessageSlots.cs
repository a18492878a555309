using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace NfLua.Netlink.Interop;

/// <summary>
/// Pooled pinned receive memory for recvmmsg: one pinned byte array cut into <see cref="Count"/> slots of
/// <see cref="SlotSize"/> bytes, with the iovec and MultiMessageHeader arrays that point into it set up once.
/// </summary>
internal sealed unsafe class MessageSlots
{
    private readonly byte[] _buffer;
    private readonly iovec[] _vectors;
    private readonly MultiMessageHeader[] _headers;

    public MessageSlots(int count, int slotSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotSize, NetlinkConstants.MessageHeaderSize);
        Count = count;
        SlotSize = slotSize;
        _buffer = GC.AllocateUninitializedArray<byte>(checked(count * slotSize), pinned: true);
        _vectors = GC.AllocateArray<iovec>(count, pinned: true);
        _headers = GC.AllocateArray<MultiMessageHeader>(count, pinned: true);
        byte* data = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_buffer));
        iovec* vectors = (iovec*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_vectors));
        for (int i = 0; i < count; i++)
        {
            _vectors[i].iov_base = data + ((long)i * slotSize);
            _vectors[i].iov_len = (size_t)(nuint)slotSize;
            _headers[i].msg_hdr.msg_iov = vectors + i;
            _headers[i].msg_hdr.msg_iovlen = 1;
        }
    }

    /// <summary>How many datagrams one receive can take.</summary>
    public int Count { get; }

    /// <summary>The size of each slot.</summary>
    public int SlotSize { get; }

    /// <summary>The bytes the last receive put in slot <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Received(int index) => Writable(index);

    /// <summary>The same bytes, writable: the slots belong to their queue until its next receive.</summary>
    public Span<byte> Writable(int index) =>
        _buffer.AsSpan(index * SlotSize, Math.Min((int)_headers[index].msg_len, SlotSize));

    /// <summary>Whether the datagram in slot <paramref name="index"/> was longer than the slot (MSG_TRUNC).</summary>
    public bool IsTruncated(int index) => (_headers[index].msg_hdr.msg_flags & LibC.MSG_TRUNC) != 0;

    /// <summary>Calls recvmmsg(MSG_DONTWAIT) into every slot; returns its result (errno left for the caller).</summary>
    internal int ReceiveFrom(int fd) => ReceiveFrom(fd, LibC.MSG_DONTWAIT);

    /// <summary>Calls recvmmsg with <paramref name="flags"/> into every slot; returns its result (errno left for the caller).</summary>
    internal int ReceiveFrom(int fd, int flags)
    {
        for (int i = 0; i < _headers.Length; i++)
        {
            _headers[i].msg_hdr.msg_flags = 0;
            _headers[i].msg_len = 0;
        }

        MultiMessageHeader* headers = (MultiMessageHeader*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_headers));
        return NativeMethods.RecvMmsg(fd, headers, (uint)_headers.Length, flags, null);
    }
}
