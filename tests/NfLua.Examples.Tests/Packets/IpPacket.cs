using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace NfLua.Examples.Tests.Packets;

/// <summary>TCP flag bits, as in the TCP header's flags byte.</summary>
[Flags]
internal enum TcpFlags : byte
{
    None = 0,
    Fin = 0x01,
    Syn = 0x02,
    Rst = 0x04,
    Psh = 0x08,
    Ack = 0x10,
}

/// <summary>
/// Builds IPv4 and IPv6 packets carrying TCP, UDP, ICMP or ICMPv6, byte by byte, with correct lengths and checksums (the IPv4 header
/// checksum and the transport's checksum): what a capture of real traffic would hold. The family
/// follows the addresses.
/// </summary>
internal static class IpPacket
{
    private const byte Tcp = 6;
    private const byte Udp = 17;
    private const byte Icmp = 1;
    private const byte Icmpv6 = 58;

    public static byte[] TcpSegment(
        string source, ushort sourcePort, string destination, ushort destinationPort, ReadOnlySpan<byte> payload,
        TcpFlags flags = TcpFlags.Ack | TcpFlags.Psh, uint sequence = 1000, uint acknowledgement = 2000)
    {
        byte[] segment = new byte[20 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(segment, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(4), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(8), (flags & TcpFlags.Ack) != 0 ? acknowledgement : 0);
        segment[12] = 5 << 4; // data offset: 5 words, no options
        segment[13] = (byte)flags;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(14), 64240);
        payload.CopyTo(segment.AsSpan(20));
        return Packet(Tcp, source, destination, segment, checksumOffset: 16);
    }

    /// <summary>A connection attempt: a SYN with no payload.</summary>
    public static byte[] Syn(string source, ushort sourcePort, string destination, ushort destinationPort) =>
        TcpSegment(source, sourcePort, destination, destinationPort, [], TcpFlags.Syn, sequence: 1000);

    public static byte[] UdpDatagram(string source, ushort sourcePort, string destination, ushort destinationPort, ReadOnlySpan<byte> payload)
    {
        byte[] datagram = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(datagram, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(4), (ushort)datagram.Length);
        payload.CopyTo(datagram.AsSpan(8));
        return Packet(Udp, source, destination, datagram, checksumOffset: 6);
    }

    /// <summary>
    /// An ICMP echo request (type 8) over IPv4 or an ICMPv6 echo request (type 128) over IPv6, by the addresses' family:
    /// identifier, sequence number and payload, with the checksum (ICMPv6's over the pseudo-header, RFC 4443 2.3).
    /// </summary>
    public static byte[] EchoRequest(string source, string destination, ushort identifier, ushort sequence, ReadOnlySpan<byte> payload)
    {
        bool v6 = IPAddress.Parse(source).AddressFamily == AddressFamily.InterNetworkV6;
        byte[] message = new byte[8 + payload.Length];
        message[0] = v6 ? (byte)128 : (byte)8;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), identifier);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(6), sequence);
        payload.CopyTo(message.AsSpan(8));
        return Packet(v6 ? Icmpv6 : Icmp, source, destination, message, checksumOffset: 2);
    }

    /// <summary>An ICMPv6 message of <paramref name="type"/> (code 0) with <paramref name="body"/> after its 4-byte header.</summary>
    public static byte[] Icmpv6Message(string source, string destination, byte type, ReadOnlySpan<byte> body)
    {
        byte[] message = new byte[4 + body.Length];
        message[0] = type;
        body.CopyTo(message.AsSpan(4));
        return Packet(Icmpv6, source, destination, message, checksumOffset: 2);
    }

    /// <summary>The first <paramref name="length"/> bytes of a packet: its IP header still announces the whole packet.</summary>
    public static byte[] Truncated(byte[] packet, int length) => packet[..length];

    private static byte[] Packet(byte protocol, string source, string destination, byte[] transport, int checksumOffset)
    {
        IPAddress from = IPAddress.Parse(source), to = IPAddress.Parse(destination);
        if (from.AddressFamily != to.AddressFamily)
        {
            throw new ArgumentException($"{source} and {destination} are not of the same family");
        }

        byte[] fromBytes = from.GetAddressBytes(), toBytes = to.GetAddressBytes();
        // ICMP's checksum covers the message alone; TCP's, UDP's and ICMPv6's the pseudo-header too.
        ushort transportSum = protocol == Icmp ? InternetChecksum.Of(transport) : InternetChecksum.OfTransport(fromBytes, toBytes, protocol, transport);
        if (protocol == Udp && transportSum == 0)
        {
            transportSum = 0xFFFF; // RFC 768: a computed zero is sent as all ones (zero means "no checksum")
        }

        BinaryPrimitives.WriteUInt16BigEndian(transport.AsSpan(checksumOffset), transportSum);
        return from.AddressFamily == AddressFamily.InterNetwork
            ? IPv4(protocol, fromBytes, toBytes, transport)
            : IPv6(protocol, fromBytes, toBytes, transport);
    }

    private static byte[] IPv4(byte protocol, byte[] source, byte[] destination, byte[] transport)
    {
        byte[] packet = new byte[20 + transport.Length];
        packet[0] = 0x45; // version 4, 5-word header
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), 0x1c46);
        packet[6] = 0x40; // don't fragment
        packet[8] = 64;
        packet[9] = protocol;
        source.CopyTo(packet, 12);
        destination.CopyTo(packet, 16);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), InternetChecksum.Of(packet.AsSpan(0, 20)));
        transport.CopyTo(packet, 20);
        return packet;
    }

    private static byte[] IPv6(byte protocol, byte[] source, byte[] destination, byte[] transport)
    {
        byte[] packet = new byte[40 + transport.Length];
        packet[0] = 0x60; // version 6
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)transport.Length);
        packet[6] = protocol;
        packet[7] = 64;
        source.CopyTo(packet, 8);
        destination.CopyTo(packet, 24);
        transport.CopyTo(packet, 40);
        return packet;
    }
}
