using System.Buffers.Binary;
using NfLua.Packets;

namespace NfLua.Fuzz.Targets;

/// <summary>Builds well-formed IPv4 and IPv6 packets (TCP, UDP, ICMP, ICMPv6) with correct checksums, and random ones.</summary>
internal static class PacketBuilder
{
    public static byte[] IPv4(byte protocol, ReadOnlySpan<byte> transport, int optionWords = 0, ushort fragment = 0)
    {
        int header = 20 + (optionWords * 4);
        byte[] packet = new byte[header + transport.Length];
        packet[0] = (byte)(0x40 | (header / 4));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), 0x1234);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), fragment);
        packet[8] = 64;
        packet[9] = protocol;
        byte[] source = [192, 0, 2, 1], destination = [198, 51, 100, 7];
        source.CopyTo(packet, 12);
        destination.CopyTo(packet, 16);
        for (int i = 20; i < header; i++)
        {
            packet[i] = 1; // NOP options
        }

        transport.CopyTo(packet.AsSpan(header));
        Checksums.TryRecompute(packet);
        return packet;
    }

    public static byte[] IPv6(byte nextHeader, ReadOnlySpan<byte> transport, ReadOnlySpan<byte> extensions = default)
    {
        byte[] packet = new byte[40 + extensions.Length + transport.Length];
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)(extensions.Length + transport.Length));
        packet[6] = nextHeader;
        packet[7] = 64;
        packet[8] = 0x20;
        packet[9] = 0x01;
        packet[10] = 0x0d;
        packet[11] = 0xb8;
        packet[23] = 1;
        packet[24] = 0x20;
        packet[25] = 0x01;
        packet[26] = 0x0d;
        packet[27] = 0xb8;
        packet[39] = 2;
        extensions.CopyTo(packet.AsSpan(40));
        transport.CopyTo(packet.AsSpan(40 + extensions.Length));
        Checksums.TryRecompute(packet);
        return packet;
    }

    public static byte[] Tcp(ushort source, ushort destination, byte flags, ReadOnlySpan<byte> payload, int optionWords = 0)
    {
        int header = 20 + (optionWords * 4);
        byte[] segment = new byte[header + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(segment, source);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), destination);
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(4), 0x01020304);
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(8), 0x0A0B0C0D);
        segment[12] = (byte)((header / 4) << 4);
        segment[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(14), 64240);
        for (int i = 20; i < header; i++)
        {
            segment[i] = 1;
        }

        payload.CopyTo(segment.AsSpan(header));
        return segment;
    }

    public static byte[] Udp(ushort source, ushort destination, ReadOnlySpan<byte> payload)
    {
        byte[] datagram = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(datagram, source);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), destination);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(4), (ushort)datagram.Length);
        payload.CopyTo(datagram.AsSpan(8));
        return datagram;
    }

    public static byte[] Icmp(byte type, ReadOnlySpan<byte> payload)
    {
        byte[] message = new byte[8 + payload.Length];
        message[0] = type;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), 7);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(6), 1);
        payload.CopyTo(message.AsSpan(8));
        return message;
    }

    /// <summary>The seed packets every target that takes packets starts from.</summary>
    public static IEnumerable<(string Name, byte[] Packet)> Samples()
    {
        byte[] banner = "SSH-2.0-OpenSSH_6.4\r\n"u8.ToArray();
        yield return ("ipv4-tcp-ssh-banner", IPv4(IpProtocol.Tcp, Tcp(22, 40000, 0x18, banner)));
        yield return ("ipv4-tcp-syn-options", IPv4(IpProtocol.Tcp, Tcp(40000, 80, 0x02, [], optionWords: 3), optionWords: 2));
        yield return ("ipv4-udp-dns", IPv4(IpProtocol.Udp, Udp(5353, 53, [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0])));
        yield return ("ipv4-icmp-echo", IPv4(IpProtocol.Icmp, Icmp(8, "ping"u8)));
        yield return ("ipv4-fragment", IPv4(IpProtocol.Udp, Udp(1, 2, new byte[24]), fragment: 0x2000));
        yield return ("ipv6-tcp", IPv6(IpProtocol.Tcp, Tcp(443, 50000, 0x10, "hello"u8)));
        yield return ("ipv6-udp", IPv6(IpProtocol.Udp, Udp(5004, 5004, new byte[] { 0x80, 0x22, 0, 1 })));
        yield return ("ipv6-icmpv6-echo", IPv6(IpProtocol.IcmpV6, Icmp(128, "ping6"u8)));
        // Hop-by-hop options (next header UDP, 8 bytes) before the UDP datagram.
        yield return ("ipv6-hop-by-hop-udp", IPv6(0, Udp(7, 7, "x"u8), [IpProtocol.Udp, 0, 1, 4, 0, 0, 0, 0]));
    }

    /// <summary>A random packet: a valid skeleton with random fields and payload, then maybe a few bytes broken.</summary>
    public static byte[] Random(Random random)
    {
        byte[] payload = new byte[random.Next(0, 64)];
        random.NextBytes(payload);
        byte protocol = random.Next(5) switch
        {
            0 => IpProtocol.Tcp,
            1 => IpProtocol.Udp,
            2 => IpProtocol.Icmp,
            3 => IpProtocol.IcmpV6,
            _ => (byte)random.Next(256),
        };
        byte[] transport = protocol switch
        {
            IpProtocol.Tcp => Tcp((ushort)random.Next(65536), (ushort)random.Next(65536), (byte)random.Next(256), payload, random.Next(0, 11)),
            IpProtocol.Udp => Udp((ushort)random.Next(65536), (ushort)random.Next(65536), payload),
            IpProtocol.Icmp or IpProtocol.IcmpV6 => Icmp((byte)random.Next(256), payload),
            _ => payload,
        };
        byte[] packet = random.Next(2) == 0
            ? IPv4(protocol, transport, random.Next(0, 11), random.Next(4) == 0 ? (ushort)random.Next(65536) : (ushort)0)
            : random.Next(4) == 0 ? IPv6(IpProtocol.HopByHop, transport, RandomExtension(random, protocol))
            : IPv6(protocol, transport);
        int breaks = random.Next(3);
        for (int i = 0; i < breaks && packet.Length > 0; i++)
        {
            packet[random.Next(packet.Length)] = (byte)random.Next(256);
        }

        return random.Next(6) == 0 ? packet[..random.Next(packet.Length + 1)] : packet;
    }

    private static byte[] RandomExtension(Random random, byte next)
    {
        int words = random.Next(0, 3);
        byte[] extension = new byte[8 * (words + 1)];
        random.NextBytes(extension);
        extension[0] = next;
        extension[1] = (byte)words;
        return extension;
    }
}
