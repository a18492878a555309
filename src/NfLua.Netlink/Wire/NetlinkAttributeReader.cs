using NfLua.Netlink.Interop;

namespace NfLua.Netlink.Wire;

/// <summary>
/// Walks attributes with libmnl's checks (mnl_attr_ok): at least an nlattr left, <c>nla_len</c> at least an
/// nlattr, and no longer than what is left. The last attribute may be unpadded.
/// </summary>
internal ref struct NetlinkAttributeReader
{
    private ReadOnlySpan<byte> _remaining;
    private int _consumed;

    public NetlinkAttributeReader(ReadOnlySpan<byte> attributes) => _remaining = attributes;

    /// <summary>
    /// Reads the next attribute; <paramref name="type"/> has NLA_F_NESTED and NLA_F_NET_BYTEORDER masked off and
    /// <paramref name="payloadOffset"/> is where the payload starts in the reader's input.
    /// </summary>
    public NetlinkReadStatus Read(out ushort type, out ReadOnlySpan<byte> payload, out int payloadOffset)
    {
        type = 0;
        payload = default;
        payloadOffset = 0;
        if (_remaining.IsEmpty)
        {
            return NetlinkReadStatus.End;
        }

        if (_remaining.Length < NetlinkConstants.AttributeHeaderSize)
        {
            _remaining = default;
            return NetlinkReadStatus.Malformed;
        }

        int length = HostOrder.ReadUInt16HostOrder(_remaining);
        if (length < NetlinkConstants.AttributeHeaderSize || length > _remaining.Length)
        {
            _remaining = default;
            return NetlinkReadStatus.Malformed;
        }

        type = (ushort)(HostOrder.ReadUInt16HostOrder(_remaining[2..]) & NetlinkConstants.AttributeTypeMask);
        payload = _remaining[NetlinkConstants.AttributeHeaderSize..length];
        payloadOffset = _consumed + NetlinkConstants.AttributeHeaderSize;
        int advance = NetlinkConstants.Align(length);
        _consumed += advance;
        _remaining = advance >= _remaining.Length ? default : _remaining[advance..];
        return NetlinkReadStatus.Item;
    }
}
