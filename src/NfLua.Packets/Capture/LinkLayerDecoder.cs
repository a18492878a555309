using System.Buffers.Binary;
using static NfLua.Packets.Capture.CaptureConstants;

namespace NfLua.Packets.Capture;

/// <summary>Finds the network layer inside a captured frame.</summary>
internal static partial class LinkLayerDecoder
{
    private const int EthernetHeaderBytes = 14;
    private const int VlanTagBytes = 4;
    private const int MaxVlanTags = 8;
    private const int PppoeHeaderBytes = 6;
    private const int SllHeaderBytes = 16;
    private const int Sll2HeaderBytes = 20;
    private const int LoopbackHeaderBytes = 4;
    private const int CiscoHdlcHeaderBytes = 4;

    /// <summary>
    /// The source hardware address a frame carries, as NFQUEUE would give it for a packet that came in: Ethernet's
    /// source MAC (bytes 6-11), or the address field of a Linux cooked header (SLL: its length at 4, the address at 6;
    /// SLL2: its length at 11, the address at 12); empty for other link types.
    /// </summary>
    public static ReadOnlyMemory<byte> SourceAddress(CaptureLinkType linkType, ReadOnlyMemory<byte> frame)
    {
        ReadOnlySpan<byte> bytes = frame.Span;
        switch (linkType)
        {
            case CaptureLinkType.Ethernet when bytes.Length >= EthernetHeaderBytes:
                return frame.Slice(6, 6);
            case CaptureLinkType.LinuxSll when bytes.Length >= SllHeaderBytes:
                int length = Math.Min((int)BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]), 8);
                return frame.Slice(6, length);
            case CaptureLinkType.LinuxSll2 when bytes.Length >= Sll2HeaderBytes:
                return frame.Slice(12, Math.Min((int)bytes[11], 8));
            default:
                return default;
        }
    }

    public static CaptureSkipReason Decode(CaptureLinkType linkType, ReadOnlyMemory<byte> frame, out ReadOnlyMemory<byte> packet)
    {
        packet = default;
        ReadOnlySpan<byte> bytes = frame.Span;
        int offset;
        int version = 0;
        CaptureSkipReason reason;
        switch (linkType)
        {
            case CaptureLinkType.Ethernet:
                reason = SkipEthernet(bytes, out offset);
                break;
            case CaptureLinkType.Raw:
                return TakeIP(frame, 0, expectedVersion: 0, out packet);
            case CaptureLinkType.IPv4:
                return TakeIP(frame, 0, expectedVersion: 4, out packet);
            case CaptureLinkType.IPv6:
                return TakeIP(frame, 0, expectedVersion: 6, out packet);
            case CaptureLinkType.LinuxSll:
                offset = SllHeaderBytes;
                reason = bytes.Length < SllHeaderBytes ? CaptureSkipReason.Truncated : EtherTypeReason(BinaryPrimitives.ReadUInt16BigEndian(bytes[14..]));
                break;
            case CaptureLinkType.LinuxSll2:
                offset = Sll2HeaderBytes;
                reason = bytes.Length < Sll2HeaderBytes ? CaptureSkipReason.Truncated : EtherTypeReason(BinaryPrimitives.ReadUInt16BigEndian(bytes));
                break;
            case CaptureLinkType.Null or CaptureLinkType.Loop:
                offset = LoopbackHeaderBytes;
                reason = SkipLoopback(bytes, out version);
                break;
            case CaptureLinkType.Ppp:
                reason = SkipPpp(bytes, out offset);
                break;
            case CaptureLinkType.PppHdlc when bytes.Length >= 1 && bytes[0] is CiscoUnicast or CiscoBroadcast:
            case CaptureLinkType.CiscoHdlc:
                offset = CiscoHdlcHeaderBytes;
                reason = bytes.Length < CiscoHdlcHeaderBytes ? CaptureSkipReason.Truncated : EtherTypeReason(BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]));
                break;
            case CaptureLinkType.PppHdlc:
                reason = SkipPpp(bytes, out offset);
                break;
            default:
                return CaptureSkipReason.UnsupportedLinkType;
        }

        return reason != CaptureSkipReason.None ? reason : TakeIP(frame, offset, version, out packet);
    }

    private static CaptureSkipReason SkipEthernet(ReadOnlySpan<byte> bytes, out int offset)
    {
        offset = EthernetHeaderBytes;
        if (bytes.Length < EthernetHeaderBytes)
        {
            return CaptureSkipReason.Truncated;
        }

        // 802.1Q, 802.1ad and the older 0x9100 tag, stacked as providers nest them.
        ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(bytes[12..]);
        for (int tags = 0; tags < MaxVlanTags && etherType is EtherTypeVlan or EtherTypeQinQ or EtherTypeVlanOld; tags++)
        {
            if (bytes.Length < offset + VlanTagBytes)
            {
                return CaptureSkipReason.Truncated;
            }

            etherType = BinaryPrimitives.ReadUInt16BigEndian(bytes[(offset + 2)..]);
            offset += VlanTagBytes;
        }

        if (etherType != EtherTypePppoeSession)
        {
            return EtherTypeReason(etherType);
        }

        // PPPoE session stage (RFC 2516): version/type, code 0, session id, length; then the PPP protocol.
        if (bytes.Length < offset + PppoeHeaderBytes + 2)
        {
            return CaptureSkipReason.Truncated;
        }

        ushort protocol = BinaryPrimitives.ReadUInt16BigEndian(bytes[(offset + PppoeHeaderBytes)..]);
        offset += PppoeHeaderBytes + 2;
        return protocol is PppIPv4 or PppIPv6 ? CaptureSkipReason.None : CaptureSkipReason.NotIP;
    }

    private static CaptureSkipReason EtherTypeReason(ushort etherType) =>
        etherType is EtherTypeIPv4 or EtherTypeIPv6 ? CaptureSkipReason.None : CaptureSkipReason.NotIP;

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
