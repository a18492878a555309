using NfLua.Netlink.Interop;

namespace NfLua.Netlink.Wire;

/// <summary>
/// Walks the netlink messages of one datagram with libmnl's checks (mnl_nlmsg_ok): at least a header left,
/// <c>nlmsg_len</c> at least a header, and no longer than what is left. The last message may be unpadded.
/// </summary>
internal ref struct NetlinkMessageReader
{
    private ReadOnlySpan<byte> _remaining;
    private int _consumed;

    public NetlinkMessageReader(ReadOnlySpan<byte> datagram) => _remaining = datagram;

    /// <summary>Reads the next message; <paramref name="offset"/> is where it starts in the datagram.</summary>
    public NetlinkReadStatus Read(out NetlinkMessage message, out int offset)
    {
        message = default;
        offset = _consumed;
        if (_remaining.IsEmpty)
        {
            return NetlinkReadStatus.End;
        }

        if (_remaining.Length < NetlinkConstants.MessageHeaderSize)
        {
            _remaining = default;
            return NetlinkReadStatus.Malformed;
        }

        uint length = HostOrder.ReadUInt32HostOrder(_remaining);
        if (length < NetlinkConstants.MessageHeaderSize || length > (uint)_remaining.Length)
        {
            _remaining = default;
            return NetlinkReadStatus.Malformed;
        }

        message = new NetlinkMessage(_remaining[..(int)length]);
        int advance = NetlinkConstants.Align((int)length);
        _consumed += advance;
        _remaining = advance >= _remaining.Length ? default : _remaining[advance..];
        return NetlinkReadStatus.Item;
    }
}
