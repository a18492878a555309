using System.Buffers.Binary;
using static NfLua.Packets.Capture.CaptureConstants;

namespace NfLua.Packets.Capture;

public sealed partial class CaptureReader
{
    private const int SectionHeaderMinBytes = 28;
    private const int EnhancedPacketFixedBytes = 20;
    private const byte DefaultTimestampResolution = 6;

    private IEnumerable<CaptureRecord> ReadPcapNgRecords()
    {
        var section = new PcapNgSection();
        int offset = 0;
        int index = 0;
        while (offset < _data.Length && CutShort is null)
        {
            (CaptureRecord? record, offset) = ReadBlock(offset, section, ref index);
            if (record is CaptureRecord packet)
            {
                yield return packet;
            }
        }
    }

    private (CaptureRecord? Record, int Next) ReadBlock(int offset, PcapNgSection section, ref int index)
    {
        ReadOnlySpan<byte> bytes = _data.Span[offset..];
        if (bytes.Length < BlockOverheadBytes && offset == 0)
        {
            throw Error($"section header at offset 0 cut short: {bytes.Length} of at least {SectionHeaderMinBytes} bytes");
        }

        if (bytes.Length < BlockOverheadBytes)
        {
            CutShort = $"block at offset {offset} is cut short: the file ends {bytes.Length} bytes into it (a block takes at least {BlockOverheadBytes})";
            return (null, _data.Length);
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes) == SectionHeaderBlock)
        {
            StartSection(bytes, offset, section);
        }

        CaptureByteOrder order = section.Order;
        uint type = order.ReadUInt32(bytes);
        uint length = order.ReadUInt32(bytes[4..]);
        if (length < BlockOverheadBytes || length % 4 != 0)
        {
            throw Error($"block at offset {offset} has length {length}; a block length is a multiple of 4 and at least {BlockOverheadBytes}");
        }

        if (length > bytes.Length)
        {
            CutShort = type is EnhancedPacketBlock or SimplePacketBlock
                ? $"record {index + 1} is cut short: the file ends {bytes.Length} bytes into its {length}-byte block (at offset {offset})"
                : $"block at offset {offset} is cut short: the file ends {bytes.Length} bytes into its {length} bytes";
            return (null, _data.Length);
        }

        uint trailing = order.ReadUInt32(bytes[((int)length - 4)..]);
        if (trailing != length)
        {
            throw Error($"block at offset {offset}: its trailing length {trailing} does not match its length {length}");
        }

        int bodyOffset = offset + 8;
        int bodyLength = (int)length - BlockOverheadBytes;
        CaptureRecord? record = type switch
        {
            InterfaceDescriptionBlock => AddInterface(_data.Span.Slice(bodyOffset, bodyLength), offset, section),
            EnhancedPacketBlock => ReadEnhancedPacket(bodyOffset, bodyLength, section, ++index),
            SimplePacketBlock => ReadSimplePacket(bodyOffset, bodyLength, section, ++index),
            _ => null, // section headers (already handled) and blocks NfLua has no use for
        };
        return (record, offset + (int)length);
    }

    private void StartSection(ReadOnlySpan<byte> bytes, int offset, PcapNgSection section)
    {
        if (bytes.Length < SectionHeaderMinBytes)
        {
            throw Error($"section header at offset {offset} cut short: {bytes.Length} of at least {SectionHeaderMinBytes} bytes");
        }

        uint byteOrderMagic = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        bool bigEndian = byteOrderMagic switch
        {
            ByteOrderMagic => false,
            _ when BinaryPrimitives.ReverseEndianness(byteOrderMagic) == ByteOrderMagic => true,
            _ => throw Error($"section header at offset {offset} has an unknown byte-order magic 0x{byteOrderMagic:X8}"),
        };
        var order = new CaptureByteOrder(bigEndian);
        ushort major = order.ReadUInt16(bytes[12..]);
        if (major != 1)
        {
            throw Error($"section header at offset {offset}: pcapng version {major}.{order.ReadUInt16(bytes[14..])} is not supported (1.x is)");
        }

        section.Start(order);
    }

    private CaptureRecord? AddInterface(ReadOnlySpan<byte> body, int offset, PcapNgSection section)
    {
        if (body.Length < 8)
        {
            throw Error($"interface description block at offset {offset} is too short ({body.Length} bytes of body, 8 needed)");
        }

        CaptureByteOrder order = section.Order;
        var linkType = (CaptureLinkType)order.ReadUInt16(body);
        uint snapLength = order.ReadUInt32(body[4..]);
        byte resolution = DefaultTimestampResolution;
        long timestampOffset = 0;
        string? name = null;
        ReadOnlySpan<byte> options = body[8..];
        while (options.Length >= 4)
        {
            ushort code = order.ReadUInt16(options);
            int valueLength = order.ReadUInt16(options[2..]);
            int padded = (valueLength + 3) & ~3;
            if (code == OptionEnd)
            {
                break;
            }

            if (padded > options.Length - 4)
            {
                throw Error($"interface description block at offset {offset}: option {code} runs past the end of its block");
            }

            ReadOnlySpan<byte> value = options.Slice(4, valueLength);
            if (code == OptionTimestampResolution && valueLength >= 1)
            {
                resolution = value[0];
            }
            else if (code == OptionTimestampOffset && valueLength >= 8)
            {
                timestampOffset = order.ReadInt64(value);
            }
            else if (code == OptionName && valueLength > 0)
            {
                name = InterfaceName(value);
            }

            options = options[(4 + padded)..];
        }

        section.Interfaces.Add(new PcapNgInterface(linkType, snapLength, resolution, timestampOffset, name));
        return null;
    }

    private CaptureRecord ReadEnhancedPacket(int bodyOffset, int bodyLength, PcapNgSection section, int index)
    {
        if (bodyLength < EnhancedPacketFixedBytes)
        {
            throw Error($"record {index}: enhanced packet block too short ({bodyLength} bytes of body, {EnhancedPacketFixedBytes} needed)");
        }

        ReadOnlySpan<byte> body = _data.Span.Slice(bodyOffset, bodyLength);
        CaptureByteOrder order = section.Order;
        PcapNgInterface description = InterfaceOf(section, order.ReadUInt32(body), index);
        ulong timestamp = ((ulong)order.ReadUInt32(body[4..]) << 32) | order.ReadUInt32(body[8..]);
        uint captured = order.ReadUInt32(body[12..]);
        uint original = order.ReadUInt32(body[16..]);
        int available = bodyLength - EnhancedPacketFixedBytes;
        if (captured > available)
        {
            throw Error($"record {index} claims {captured} bytes, more than its block holds ({available})");
        }

        ReadOnlyMemory<byte> frame = _data.Slice(bodyOffset + EnhancedPacketFixedBytes, (int)captured);
        CaptureDirection direction = PacketDirection(body[(EnhancedPacketFixedBytes + (((int)captured + 3) & ~3))..], order);
        return MakeRecord(index, description.ToNanoseconds(timestamp), description.LinkType, frame, original) with
        {
            InterfaceName = description.Name,
            Direction = direction,
        };
    }

    private CaptureRecord ReadSimplePacket(int bodyOffset, int bodyLength, PcapNgSection section, int index)
    {
        if (bodyLength < 4)
        {
            throw Error($"record {index}: simple packet block too short ({bodyLength} bytes of body, 4 needed)");
        }

        PcapNgInterface description = InterfaceOf(section, 0, index);
        uint original = section.Order.ReadUInt32(_data.Span.Slice(bodyOffset, 4));

        // A simple packet block does not store its captured length: it is the original length, cut by the snap length.
        long captured = Math.Min(original, bodyLength - 4L);
        if (description.SnapLength != 0)
        {
            captured = Math.Min(captured, description.SnapLength);
        }

        ReadOnlyMemory<byte> frame = _data.Slice(bodyOffset + 4, (int)captured);
        return MakeRecord(index, 0, description.LinkType, frame, original) with { InterfaceName = description.Name };
    }

    private PcapNgInterface InterfaceOf(PcapNgSection section, uint interfaceId, int index)
    {
        if (interfaceId >= section.Interfaces.Count)
        {
            throw Error($"record {index} refers to interface {interfaceId}, but its section describes {section.Interfaces.Count}");
        }

        return section.Interfaces[(int)interfaceId];
    }

    /// <summary>An if_name value as text: UTF-8 up to its first NUL (some writers count the terminator), at most 64
    /// bytes (an interface name is at most 15 on Linux), control characters dropped so it prints on one line.</summary>
    private static string? InterfaceName(ReadOnlySpan<byte> value)
    {
        int end = value.IndexOf((byte)0);
        value = value[..Math.Min(end < 0 ? value.Length : end, 64)];
        string text = new([.. System.Text.Encoding.UTF8.GetString(value).Where(c => !char.IsControl(c))]);
        return text.Length == 0 ? null : text;
    }

    /// <summary>The direction bits (the two lowest) of the epb_flags option among an enhanced packet block's options.
    /// The options were not checked with the block: one that runs past the block ends the search.</summary>
    private static CaptureDirection PacketDirection(ReadOnlySpan<byte> options, CaptureByteOrder order)
    {
        while (options.Length >= 4)
        {
            ushort code = order.ReadUInt16(options);
            int valueLength = order.ReadUInt16(options[2..]);
            int padded = (valueLength + 3) & ~3;
            if (code == OptionEnd || padded > options.Length - 4)
            {
                break;
            }

            if (code == OptionPacketFlags && valueLength >= 4)
            {
                return (order.ReadUInt32(options[4..]) & 3) switch
                {
                    1 => CaptureDirection.Inbound,
                    2 => CaptureDirection.Outbound,
                    _ => CaptureDirection.Unknown,
                };
            }

            options = options[(4 + padded)..];
        }

        return CaptureDirection.Unknown;
    }
}
