using System.Buffers.Binary;
using NfLua.Netlink.Interop;

namespace NfLua.Netlink.Wire;

/// <summary>Parses NFQNL_MSG_PACKET messages into a <see cref="PacketLayout"/>. Never throws, never copies.</summary>
internal static class NfQueuePacketParser
{
    internal const int PacketHeaderSize = 7;
    internal const int TimestampSize = 16;
    internal const int HardwareAddressHeaderSize = 4;
    internal const int HardwareAddressMaxLength = 8;

    /// <summary>
    /// Parses a whole message (from its nlmsghdr). False when it is not a well-formed packet message: too short,
    /// an attribute whose length lies, a known attribute of the wrong size, or no PACKET_HDR.
    /// Unknown attributes are skipped; a repeated attribute keeps its last value, as the kernel's nla_parse does.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> message, out PacketLayout layout)
    {
        layout = default;
        const int attributesStart = NetlinkConstants.MessageHeaderSize + NetlinkConstants.NfGenMessageSize;
        if (message.Length < attributesStart)
        {
            return false;
        }

        layout.QueueNumber = BinaryPrimitives.ReadUInt16BigEndian(message[(NetlinkConstants.MessageHeaderSize + 2)..]);
        bool sawHeader = false;
        var reader = new NetlinkAttributeReader(message[attributesStart..]);
        NetlinkReadStatus status;
        while ((status = reader.Read(out ushort type, out ReadOnlySpan<byte> value, out int valueOffset)) == NetlinkReadStatus.Item)
        {
            int offset = attributesStart + valueOffset;
            switch ((NfQueueAttribute)type)
            {
                case NfQueueAttribute.PacketHeader:
                    if (value.Length < PacketHeaderSize)
                    {
                        return false;
                    }

                    layout.Id = BinaryPrimitives.ReadUInt32BigEndian(value);
                    layout.HardwareProtocol = BinaryPrimitives.ReadUInt16BigEndian(value[4..]);
                    layout.Hook = value[6];
                    sawHeader = true;
                    break;
                case NfQueueAttribute.Timestamp:
                    if (value.Length < TimestampSize)
                    {
                        return false;
                    }

                    layout.TimestampSeconds = BinaryPrimitives.ReadUInt64BigEndian(value);
                    layout.TimestampMicroseconds = BinaryPrimitives.ReadUInt64BigEndian(value[8..]);
                    layout.Fields |= PacketFields.Timestamp;
                    break;
                case NfQueueAttribute.HardwareAddress:
                    if (value.Length < HardwareAddressHeaderSize + HardwareAddressMaxLength)
                    {
                        return false;
                    }

                    layout.HardwareAddressOffset = offset + HardwareAddressHeaderSize;
                    layout.HardwareAddressLength = Math.Min((int)BinaryPrimitives.ReadUInt16BigEndian(value), HardwareAddressMaxLength);
                    layout.Fields |= PacketFields.HardwareAddress;
                    break;
                case NfQueueAttribute.Payload:
                    layout.PayloadOffset = offset;
                    layout.PayloadLength = value.Length;
                    layout.Fields |= PacketFields.Payload;
                    break;
                case NfQueueAttribute.SecurityContext:
                    layout.SecurityContextOffset = offset;
                    layout.SecurityContextLength = value.Length;
                    layout.Fields |= PacketFields.SecurityContext;
                    break;
                default:
                    if (!TryReadScalar((NfQueueAttribute)type, value, ref layout))
                    {
                        return false;
                    }

                    break;
            }
        }

        return status == NetlinkReadStatus.End && sawHeader;
    }

    private static bool TryReadScalar(NfQueueAttribute type, ReadOnlySpan<byte> value, ref PacketLayout layout)
    {
        PacketFields flag = ScalarFlag(type);
        if (flag == PacketFields.None)
        {
            return true;
        }

        if (value.Length < sizeof(uint))
        {
            return false;
        }

        uint scalar = BinaryPrimitives.ReadUInt32BigEndian(value);
        layout.Fields |= flag;
        switch (flag)
        {
            case PacketFields.Mark: layout.Mark = scalar; break;
            case PacketFields.InputInterface: layout.InputInterface = scalar; break;
            case PacketFields.OutputInterface: layout.OutputInterface = scalar; break;
            case PacketFields.PhysicalInputInterface: layout.PhysicalInputInterface = scalar; break;
            case PacketFields.PhysicalOutputInterface: layout.PhysicalOutputInterface = scalar; break;
            case PacketFields.CaptureLength: layout.CaptureLength = scalar; break;
            case PacketFields.SkbInfo: layout.SkbInfo = scalar; break;
            case PacketFields.Uid: layout.Uid = scalar; break;
            case PacketFields.Gid: layout.Gid = scalar; break;
            default: layout.Priority = scalar; break;
        }

        return true;
    }

    private static PacketFields ScalarFlag(NfQueueAttribute type) => type switch
    {
        NfQueueAttribute.Mark => PacketFields.Mark,
        NfQueueAttribute.InputInterface => PacketFields.InputInterface,
        NfQueueAttribute.OutputInterface => PacketFields.OutputInterface,
        NfQueueAttribute.PhysicalInputInterface => PacketFields.PhysicalInputInterface,
        NfQueueAttribute.PhysicalOutputInterface => PacketFields.PhysicalOutputInterface,
        NfQueueAttribute.CaptureLength => PacketFields.CaptureLength,
        NfQueueAttribute.SkbInfo => PacketFields.SkbInfo,
        NfQueueAttribute.Uid => PacketFields.Uid,
        NfQueueAttribute.Gid => PacketFields.Gid,
        NfQueueAttribute.Priority => PacketFields.Priority,
        _ => PacketFields.None,
    };
}
