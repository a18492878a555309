using System.Buffers.Binary;
using static NfLua.Packets.Capture.CaptureConstants;

namespace NfLua.Packets.Capture;

/// <summary>Finds the network layer inside a captured frame.</summary>
internal static class LinkLayerDecoder
{
    private const int EthernetHeaderBytes = 14;
    private const int VlanTagBytes = 4;
    private const int MaxVlanTags = 2;
    private const int SllHeaderBytes = 16;
    private const int Sll2HeaderBytes = 20;

    public static CaptureSkipReason Decode(CaptureLinkType linkType, ReadOnlyMemory<byte> frame, out ReadOnlyMemory<byte> packet)
    {
        packet = default;
        ReadOnlySpan<byte> bytes = frame.Span;
        int offset;
        switch (linkType)
        {
            case CaptureLinkType.Ethernet:
                CaptureSkipReason ethernet = SkipEthernet(bytes, out offset);
                if (ethernet != CaptureSkipReason.None)
                {
                    return ethernet;
                }

                break;
            case CaptureLinkType.Raw:
                return TakeIP(frame, 0, expectedVersion: 0, out packet);
            case CaptureLinkType.IPv4:
                return TakeIP(frame, 0, expectedVersion: 4, out packet);
            case CaptureLinkType.IPv6:
                return TakeIP(frame, 0, expectedVersion: 6, out packet);
            case CaptureLinkType.LinuxSll:
                if (bytes.Length < SllHeaderBytes)
                {
                    return CaptureSkipReason.Truncated;
                }

                offset = SllHeaderBytes;
                if (!IsIPEtherType(BinaryPrimitives.ReadUInt16BigEndian(bytes[14..])))
                {
                    return CaptureSkipReason.NotIP;
                }

                break;
            case CaptureLinkType.LinuxSll2:
                if (bytes.Length < Sll2HeaderBytes)
                {
                    return CaptureSkipReason.Truncated;
                }

                offset = Sll2HeaderBytes;
                if (!IsIPEtherType(BinaryPrimitives.ReadUInt16BigEndian(bytes)))
                {
                    return CaptureSkipReason.NotIP;
                }

                break;
            default:
                return CaptureSkipReason.UnsupportedLinkType;
        }

        return TakeIP(frame, offset, expectedVersion: 0, out packet);
    }

    private static CaptureSkipReason SkipEthernet(ReadOnlySpan<byte> bytes, out int offset)
    {
        offset = EthernetHeaderBytes;
        if (bytes.Length < EthernetHeaderBytes)
        {
            return CaptureSkipReason.Truncated;
        }

        ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(bytes[12..]);
        for (int tags = 0; tags < MaxVlanTags && etherType is EtherTypeVlan or EtherTypeQinQ; tags++)
        {
            if (bytes.Length < offset + VlanTagBytes)
            {
                return CaptureSkipReason.Truncated;
            }

            etherType = BinaryPrimitives.ReadUInt16BigEndian(bytes[(offset + 2)..]);
            offset += VlanTagBytes;
        }

        return IsIPEtherType(etherType) ? CaptureSkipReason.None : CaptureSkipReason.NotIP;
    }

    private static bool IsIPEtherType(ushort etherType) => etherType is EtherTypeIPv4 or EtherTypeIPv6;

    /// <summary>Takes the IP packet at <paramref name="offset"/>, without the link layer's trailing padding
    /// (Ethernet pads short frames to 60 bytes; NFQUEUE hands the daemon the IP packet alone).</summary>
    private static CaptureSkipReason TakeIP(ReadOnlyMemory<byte> frame, int offset, int expectedVersion, out ReadOnlyMemory<byte> packet)
    {
        packet = default;
        ReadOnlySpan<byte> ip = frame.Span[offset..];
        if (ip.IsEmpty)
        {
            return CaptureSkipReason.Truncated;
        }

        int version = ip[0] >> 4;
        if (version is not (4 or 6) || (expectedVersion != 0 && version != expectedVersion))
        {
            return CaptureSkipReason.NotIP;
        }

        int length = ip.Length;
        if (version == 4 && ip.Length >= 4)
        {
            int total = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
            length = total >= 20 && total < ip.Length ? total : ip.Length;
        }
        else if (version == 6 && ip.Length >= 40)
        {
            int payload = BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
            length = payload != 0 && 40 + payload < ip.Length ? 40 + payload : ip.Length; // 0: jumbogram, keep all
        }

        packet = frame.Slice(offset, length);
        return CaptureSkipReason.None;
    }
}
