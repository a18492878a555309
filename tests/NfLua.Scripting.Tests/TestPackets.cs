using System.Buffers.Binary;
using System.Text;

namespace NfLua.Scripting.Tests;

/// <summary>Crafted IPv4 packets (no options) for rule tests.</summary>
internal static class TestPackets
{
    public static byte[] Tcp(string payload, ushort srcPort = 22, ushort dstPort = 40000) =>
        Ipv4(6, TcpHeader(srcPort, dstPort), Encoding.ASCII.GetBytes(payload));

    public static byte[] Udp(byte[] payload, ushort srcPort = 5004, ushort dstPort = 5004)
    {
        var udp = new byte[8];
        BinaryPrimitives.WriteUInt16BigEndian(udp, srcPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(2), dstPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(4), (ushort)(8 + payload.Length));
        return Ipv4(17, udp, payload);
    }

    /// <summary>An RTP header (version 2) with the given payload type, then a few payload bytes.</summary>
    public static byte[] Rtp(int payloadType, bool marker = false)
    {
        var rtp = new byte[16];
        rtp[0] = 0x80;
        rtp[1] = (byte)((marker ? 0x80 : 0) | payloadType);
        BinaryPrimitives.WriteUInt16BigEndian(rtp.AsSpan(2), 4242);
        BinaryPrimitives.WriteUInt32BigEndian(rtp.AsSpan(4), 160);
        BinaryPrimitives.WriteUInt32BigEndian(rtp.AsSpan(8), 0xDEADBEEF);
        return rtp;
    }

    /// <summary>An IPv6 UDP packet with a hop-by-hop options header before the UDP header.</summary>
    public static byte[] Udp6WithHopByHop(byte[] payload, ushort srcPort = 5353, ushort dstPort = 53)
    {
        var packet = new byte[40 + 8 + 8 + payload.Length];
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)(packet.Length - 40));
        packet[6] = 0;   // next header: hop-by-hop
        packet[7] = 64;
        packet[8] = 0x20; packet[9] = 0x01; packet[10] = 0x0d; packet[11] = 0xb8; packet[23] = 1;   // 2001:db8::1
        packet[24] = 0x20; packet[25] = 0x01; packet[26] = 0x0d; packet[27] = 0xb8; packet[39] = 2; // 2001:db8::2
        packet[40] = 17; // hop-by-hop: next header UDP, length 0 (8 bytes), PadN
        packet[42] = 1; packet[43] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(48), srcPort);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(50), dstPort);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(52), (ushort)(8 + payload.Length));
        payload.CopyTo(packet, 56);
        return packet;
    }

    private static byte[] TcpHeader(ushort srcPort, ushort dstPort)
    {
        var tcp = new byte[20];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, srcPort);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(2), dstPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(4), 1000);
        tcp[12] = 5 << 4;
        tcp[13] = 0x18; // PSH, ACK
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(14), 65535);
        return tcp;
    }

    /// <summary>An IPv4 packet of any protocol: the bytes after the header are given whole.</summary>
    public static byte[] Ipv4Carrying(byte protocol, byte[] bytes) => Ipv4(protocol, bytes, []);

    private static byte[] Ipv4(byte protocol, byte[] transport, byte[] payload)
    {
        var packet = new byte[20 + transport.Length + payload.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64;
        packet[9] = protocol;
        new byte[] { 192, 0, 2, 1 }.CopyTo(packet, 12);
        new byte[] { 198, 51, 100, 7 }.CopyTo(packet, 16);
        transport.CopyTo(packet, 20);
        payload.CopyTo(packet, 20 + transport.Length);
        return packet;
    }
}
