using System.Buffers.Binary;
using NfLua.Netlink.Interop;

namespace NfLua.Netlink.Wire;

/// <summary>
/// Appends nfnetlink messages (nlmsghdr + nfgenmsg + attributes) to a buffer. The caller sizes the buffer
/// (see <see cref="NfQueueMessages"/> for each message's size); running out of room is a programmer error.
/// </summary>
internal ref struct NetlinkMessageWriter
{
    private readonly Span<byte> _buffer;
    private int _messageStart;

    public NetlinkMessageWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _messageStart = -1;
    }

    /// <summary>Bytes written so far.</summary>
    public int Length { get; private set; }

    /// <summary>Starts a message for queue <paramref name="queue"/> (the nfgenmsg res_id, big-endian).</summary>
    public void BeginMessage(NetlinkMessageType type, NetlinkMessageFlags flags, uint sequence, ushort queue)
    {
        _messageStart = Length;
        Span<byte> header = _buffer.Slice(Length, NetlinkConstants.MessageHeaderSize + NetlinkConstants.NfGenMessageSize);
        HostOrder.WriteUInt32HostOrder(header, 0);
        HostOrder.WriteUInt16HostOrder(header[4..], (ushort)type);
        HostOrder.WriteUInt16HostOrder(header[6..], (ushort)flags);
        HostOrder.WriteUInt32HostOrder(header[8..], sequence);
        HostOrder.WriteUInt32HostOrder(header[12..], 0);
        header[16] = NetlinkConstants.FamilyUnspecified;
        header[17] = NetlinkConstants.NfNetlinkVersion0;
        BinaryPrimitives.WriteUInt16BigEndian(header[18..], queue);
        Length += header.Length;
    }

    /// <summary>Reserves an attribute of <paramref name="payloadLength"/> bytes, padded, and returns its payload to fill.</summary>
    public Span<byte> AddAttribute(ushort type, int payloadLength)
    {
        int total = NetlinkConstants.AttributeHeaderSize + payloadLength;
        Span<byte> attribute = _buffer.Slice(Length, NetlinkConstants.Align(total));
        HostOrder.WriteUInt16HostOrder(attribute, (ushort)total);
        HostOrder.WriteUInt16HostOrder(attribute[2..], type);
        attribute[total..].Clear();
        Length += attribute.Length;
        return attribute.Slice(NetlinkConstants.AttributeHeaderSize, payloadLength);
    }

    public void AddAttribute(ushort type, ReadOnlySpan<byte> payload) => payload.CopyTo(AddAttribute(type, payload.Length));

    public void AddUInt32BigEndian(ushort type, uint value) => BinaryPrimitives.WriteUInt32BigEndian(AddAttribute(type, sizeof(uint)), value);

    /// <summary>Writes <c>nlmsg_len</c> of the current message (padding of its attributes included, as libmnl does).</summary>
    public void EndMessage()
    {
        HostOrder.WriteUInt32HostOrder(_buffer[_messageStart..], (uint)(Length - _messageStart));
        _messageStart = -1;
    }
}
