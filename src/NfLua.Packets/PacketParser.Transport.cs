using System.Buffers.Binary;

namespace NfLua.Packets;

public static partial class PacketParser
{
    private const int TcpMinHeaderLength = 20;
    private const int UdpHeaderLength = 8;
    private const int IcmpHeaderLength = 8;

    // `packet` is already cut to the network layer's length, so anything found here lies inside it.
    private static PacketInfo WithTransport(ReadOnlySpan<byte> packet, in NetworkLayer network)
    {
        int offset = network.HeaderLength;
        ReadOnlySpan<byte> transport = packet[offset..];
        bool carriesHeader = !network.IsFragment || network.FragmentOffset == 0;

        int headerLength = 0;
        int payloadEnd = packet.Length;
        bool known = network.Protocol is IpProtocol.Tcp or IpProtocol.Udp
            || (network.Protocol == IpProtocol.Icmp && network.Version == 4)
            || (network.Protocol == IpProtocol.IcmpV6 && network.Version == 6);
        ushort sourcePort = 0;
        ushort destinationPort = 0;
        byte tcpFlags = 0;

        if (carriesHeader)
        {
            switch (network.Protocol)
            {
                case IpProtocol.Tcp when transport.Length >= TcpMinHeaderLength:
                    // Data offset counts 4-byte words; below 5 the header is malformed.
                    int dataOffset = (transport[12] >> 4) * 4;
                    if (dataOffset >= TcpMinHeaderLength && dataOffset <= transport.Length)
                    {
                        headerLength = dataOffset;
                        (sourcePort, destinationPort) = ReadPorts(transport);
                        tcpFlags = transport[13];
                    }

                    break;

                case IpProtocol.Udp when transport.Length >= UdpHeaderLength:
                    headerLength = UdpHeaderLength;
                    (sourcePort, destinationPort) = ReadPorts(transport);
                    int datagramLength = BinaryPrimitives.ReadUInt16BigEndian(transport[4..]);
                    if (datagramLength >= UdpHeaderLength)
                    {
                        payloadEnd = Math.Min(payloadEnd, offset + datagramLength);
                    }

                    break;

                case IpProtocol.Icmp when network.Version == 4 && transport.Length >= IcmpHeaderLength:
                case IpProtocol.IcmpV6 when network.Version == 6 && transport.Length >= IcmpHeaderLength:
                    headerLength = IcmpHeaderLength;
                    break;
            }
        }

        int payloadOffset = offset + headerLength;
        // A protocol NfLua has no header for (GRE, SCTP, ESP, IP-in-IP...) still starts here, and runs to the end of
        // the IP packet; a known one is only there when its whole header is.
        bool hasTransport = carriesHeader && (headerLength != 0 || !known);
        return new PacketInfo
        {
            Version = network.Version,
            Length = network.Length,
            IsTruncated = network.IsTruncated,
            NetworkHeaderLength = offset,
            Protocol = network.Protocol,
            HasTransportHeader = headerLength != 0,
            HasTransport = hasTransport,
            TransportLength = hasTransport ? payloadEnd - offset : 0,
            TransportHeaderLength = headerLength,
            PayloadOffset = payloadOffset,
            PayloadLength = payloadEnd - payloadOffset,
            SourcePort = sourcePort,
            DestinationPort = destinationPort,
            TcpFlags = tcpFlags,
            IsFragment = network.IsFragment,
            MoreFragments = network.MoreFragments,
            FragmentOffset = network.FragmentOffset,
            HasPendingRoute = network.HasPendingRoute,
        };
    }

    private static (ushort Source, ushort Destination) ReadPorts(ReadOnlySpan<byte> transport) =>
        (BinaryPrimitives.ReadUInt16BigEndian(transport), BinaryPrimitives.ReadUInt16BigEndian(transport[2..]));
}
