using System.Buffers.Binary;
using static NfLua.Packets.Capture.CaptureConstants;

namespace NfLua.Packets.Capture;

/// <summary>Puts a link-layer header in front of an IP packet, for writing captures of a given link type.</summary>
internal static class LinkLayerFramer
{
    private const ushort ArphrdEthernet = 1;
    private const byte PacketHost = 0;

    public static byte[] Frame(CaptureLinkType linkType, ReadOnlySpan<byte> ipPacket)
    {
        ushort etherType = !ipPacket.IsEmpty && ipPacket[0] >> 4 == 6 ? EtherTypeIPv6 : EtherTypeIPv4;
        byte[] frame;
        switch (linkType)
        {
            case CaptureLinkType.Raw or CaptureLinkType.IPv4 or CaptureLinkType.IPv6:
                return ipPacket.ToArray();
            case CaptureLinkType.Ethernet:
                frame = new byte[14 + ipPacket.Length];
                ReadOnlySpan<byte> macs = [0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01]; // locally administered
                macs.CopyTo(frame);
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), etherType);
                ipPacket.CopyTo(frame.AsSpan(14));
                return frame;
            case CaptureLinkType.LinuxSll:
                frame = new byte[16 + ipPacket.Length];
                BinaryPrimitives.WriteUInt16BigEndian(frame, PacketHost);
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), ArphrdEthernet);
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(4), 6);
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14), etherType);
                ipPacket.CopyTo(frame.AsSpan(16));
                return frame;
            case CaptureLinkType.LinuxSll2:
                frame = new byte[20 + ipPacket.Length];
                BinaryPrimitives.WriteUInt16BigEndian(frame, etherType);
                BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), 1); // interface index
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(8), ArphrdEthernet);
                frame[10] = PacketHost;
                frame[11] = 6;
                ipPacket.CopyTo(frame.AsSpan(20));
                return frame;
            case CaptureLinkType.Null:
                // The capturing host's order: little-endian here, as on most BSD machines.
                frame = new byte[4 + ipPacket.Length];
                BinaryPrimitives.WriteUInt32LittleEndian(frame, etherType == EtherTypeIPv6 ? 24u : 2u);
                ipPacket.CopyTo(frame.AsSpan(4));
                return frame;
            case CaptureLinkType.Loop:
                frame = new byte[4 + ipPacket.Length];
                BinaryPrimitives.WriteUInt32BigEndian(frame, etherType == EtherTypeIPv6 ? 24u : 2u);
                ipPacket.CopyTo(frame.AsSpan(4));
                return frame;
            case CaptureLinkType.Ppp or CaptureLinkType.PppHdlc:
                frame = new byte[4 + ipPacket.Length];
                frame[0] = 0xFF; // all stations
                frame[1] = 0x03; // unnumbered information
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), etherType == EtherTypeIPv6 ? PppIPv6 : PppIPv4);
                ipPacket.CopyTo(frame.AsSpan(4));
                return frame;
            case CaptureLinkType.CiscoHdlc:
                frame = new byte[4 + ipPacket.Length];
                frame[0] = 0x0F; // unicast
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), etherType);
                ipPacket.CopyTo(frame.AsSpan(4));
                return frame;
            default:
                throw new ArgumentOutOfRangeException(nameof(linkType), linkType, "no framing known for this link type");
        }
    }
}
