using static NfLua.Packets.Capture.CaptureConstants;

namespace NfLua.Packets.Capture;

/// <summary>Writes a minimal pcapng capture to a stream (which it does not own): a section header at construction, then
/// interface descriptions and enhanced or simple packet blocks.</summary>
public sealed class PcapNgWriter
{
    private readonly Stream _stream;
    private readonly CaptureByteOrder _order;
    private readonly List<CaptureLinkType> _interfaces = [];

    /// <summary>Writes a section header block. Several writers on one stream make a multi-section file.</summary>
    /// <param name="stream">Where the capture goes.</param>
    /// <param name="bigEndian">True to write the section in big-endian byte order.</param>
    public PcapNgWriter(Stream stream, bool bigEndian = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _order = new CaptureByteOrder(bigEndian);
        Span<byte> body = stackalloc byte[16];
        _order.WriteUInt32(body, ByteOrderMagic);
        _order.WriteUInt16(body[4..], 1);
        _order.WriteUInt16(body[6..], 0);
        _order.WriteInt64(body[8..], -1); // section length not given
        WriteBlock(SectionHeaderBlock, body);
    }

    /// <summary>Writes an interface description block.</summary>
    /// <param name="linkType">The interface's link type.</param>
    /// <param name="snapLength">The snap length; 0 for none.</param>
    /// <param name="timestampResolution">An if_tsresol option value (e.g. 9 for nanoseconds); the default (microseconds) when null.</param>
    /// <param name="name">An if_name option value (e.g. <c>eth0</c>); none when null.</param>
    /// <returns>The interface id to give <see cref="WriteEnhancedPacket"/>.</returns>
    public int AddInterface(CaptureLinkType linkType, int snapLength = 0, byte? timestampResolution = null, string? name = null)
    {
        using var body = new MemoryStream();
        Span<byte> head = stackalloc byte[8];
        head.Clear();
        _order.WriteUInt16(head, (ushort)linkType);
        _order.WriteUInt32(head[4..], (uint)snapLength);
        body.Write(head);
        if (timestampResolution is byte resolution)
        {
            WriteOption(body, OptionTimestampResolution, [resolution]);
        }

        if (name is not null)
        {
            WriteOption(body, OptionName, System.Text.Encoding.UTF8.GetBytes(name));
        }

        if (body.Length > 8)
        {
            WriteOption(body, OptionEnd, []);
        }

        WriteBlock(InterfaceDescriptionBlock, body.ToArray());
        _interfaces.Add(linkType);
        return _interfaces.Count - 1;
    }

    /// <summary>Writes an enhanced packet block holding a frame as given.</summary>
    /// <param name="interfaceId">The interface, from <see cref="AddInterface"/>.</param>
    /// <param name="frame">The captured bytes, link-layer header included.</param>
    /// <param name="timestamp">The timestamp in the interface's units (microseconds by default).</param>
    /// <param name="originalLength">The length on the wire; the frame's length when null.</param>
    /// <param name="flags">An epb_flags option value (the two lowest bits: 1 inbound, 2 outbound); none when null.</param>
    public void WriteEnhancedPacket(int interfaceId, ReadOnlySpan<byte> frame, ulong timestamp = 0, int? originalLength = null, uint? flags = null)
    {
        using var body = new MemoryStream();
        byte[] head = new byte[20 + Pad(frame.Length)];
        _order.WriteUInt32(head, (uint)interfaceId);
        _order.WriteUInt32(head.AsSpan(4), (uint)(timestamp >> 32));
        _order.WriteUInt32(head.AsSpan(8), (uint)timestamp);
        _order.WriteUInt32(head.AsSpan(12), (uint)frame.Length);
        _order.WriteUInt32(head.AsSpan(16), (uint)(originalLength ?? frame.Length));
        frame.CopyTo(head.AsSpan(20));
        body.Write(head);
        if (flags is uint value)
        {
            byte[] flagBytes = new byte[4];
            _order.WriteUInt32(flagBytes, value);
            WriteOption(body, OptionPacketFlags, flagBytes);
            WriteOption(body, OptionEnd, []);
        }

        WriteBlock(EnhancedPacketBlock, body.ToArray());
    }

    /// <summary>Writes an IP packet, adding the interface's link-layer header, with its direction when given.</summary>
    /// <param name="interfaceId">The interface, from <see cref="AddInterface"/>.</param>
    /// <param name="ipPacket">The packet, from its IP header.</param>
    /// <param name="direction">Written as the epb_flags option unless unknown.</param>
    /// <param name="timestamp">The timestamp in the interface's units.</param>
    public void WritePacket(int interfaceId, ReadOnlySpan<byte> ipPacket, CaptureDirection direction, ulong timestamp = 0) =>
        WriteEnhancedPacket(interfaceId, LinkLayerFramer.Frame(_interfaces[interfaceId], ipPacket), timestamp, null,
            direction == CaptureDirection.Unknown ? null : (uint)direction);

    private void WriteOption(Stream body, ushort code, ReadOnlySpan<byte> value)
    {
        Span<byte> head = stackalloc byte[4];
        _order.WriteUInt16(head, code);
        _order.WriteUInt16(head[2..], (ushort)value.Length);
        body.Write(head);
        body.Write(value);
        body.Write(new byte[Pad(value.Length) - value.Length]);
    }

    /// <summary>Writes an IP packet in an enhanced packet block, adding the interface's link-layer header.</summary>
    /// <param name="interfaceId">The interface, from <see cref="AddInterface"/>.</param>
    /// <param name="ipPacket">The packet, from its IP header.</param>
    /// <param name="timestamp">The timestamp in the interface's units.</param>
    /// <exception cref="ArgumentOutOfRangeException">The interface's link type is not one of the named <see cref="CaptureLinkType"/> values.</exception>
    public void WritePacket(int interfaceId, ReadOnlySpan<byte> ipPacket, ulong timestamp = 0) =>
        WriteEnhancedPacket(interfaceId, LinkLayerFramer.Frame(_interfaces[interfaceId], ipPacket), timestamp);

    /// <summary>Writes a simple packet block (interface 0, no timestamp).</summary>
    /// <param name="frame">The captured bytes, link-layer header included.</param>
    /// <param name="originalLength">The length on the wire; the frame's length when null.</param>
    public void WriteSimplePacket(ReadOnlySpan<byte> frame, int? originalLength = null)
    {
        byte[] body = new byte[4 + Pad(frame.Length)];
        _order.WriteUInt32(body, (uint)(originalLength ?? frame.Length));
        frame.CopyTo(body.AsSpan(4));
        WriteBlock(SimplePacketBlock, body);
    }

    /// <summary>Writes a block of any type (for example one a reader must skip); the body is padded to 4 bytes.</summary>
    /// <param name="type">The block type.</param>
    /// <param name="body">The block body.</param>
    public void WriteBlock(uint type, ReadOnlySpan<byte> body)
    {
        int length = 12 + Pad(body.Length);
        byte[] block = new byte[length];
        _order.WriteUInt32(block, type);
        _order.WriteUInt32(block.AsSpan(4), (uint)length);
        body.CopyTo(block.AsSpan(8));
        _order.WriteUInt32(block.AsSpan(length - 4), (uint)length);
        _stream.Write(block);
    }

    private static int Pad(int length) => (length + 3) & ~3;
}
