using NfLua.Netlink.Interop;

namespace NfLua.Netlink.Wire;

/// <summary>One netlink message inside a datagram: its header fields and its bytes (header included, padding not).</summary>
internal readonly ref struct NetlinkMessage
{
    public NetlinkMessage(ReadOnlySpan<byte> bytes)
    {
        Bytes = bytes;
        Type = (NetlinkMessageType)HostOrder.ReadUInt16HostOrder(bytes[4..]);
        Sequence = HostOrder.ReadUInt32HostOrder(bytes[8..]);
    }

    /// <summary>The whole message, <c>nlmsg_len</c> bytes long.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    public NetlinkMessageType Type { get; }

    public uint Sequence { get; }

    /// <summary>What follows the 16-byte header.</summary>
    public ReadOnlySpan<byte> Payload => Bytes[NetlinkConstants.MessageHeaderSize..];
}
