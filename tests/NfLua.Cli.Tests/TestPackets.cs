using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace NfLua.Cli.Tests;

/// <summary>Builds IPv4 packets for captures: TCP or UDP with a payload (checksums left zero; rules here do not read them).</summary>
internal static class TestPackets
{
    public static byte[] Tcp(string source, ushort sourcePort, string destination, ushort destinationPort, string payload) =>
        IPv4(6, source, destination, TransportTcp(sourcePort, destinationPort, Encoding.ASCII.GetBytes(payload)));

    public static byte[] Udp(string source, ushort sourcePort, string destination, ushort destinationPort, byte[] payload)
    {
        byte[] segment = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(segment, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(4), (ushort)segment.Length);
        payload.CopyTo(segment.AsSpan(8));
        return IPv4(17, source, destination, segment);
    }

    /// <summary>An RTP version-2 header with <paramref name="payloadType"/>, followed by a few payload bytes.</summary>
    public static byte[] Rtp(int payloadType)
    {
        byte[] rtp = new byte[12 + 8];
        rtp[0] = 0x80; // version 2, no padding, no extension, no CSRC
        rtp[1] = (byte)payloadType;
        BinaryPrimitives.WriteUInt16BigEndian(rtp.AsSpan(2), 1);
        BinaryPrimitives.WriteUInt32BigEndian(rtp.AsSpan(8), 0x12345678);
        return rtp;
    }

    /// <summary>An Ethernet frame carrying an ARP request: a record the test must skip.</summary>
    public static byte[] ArpFrame()
    {
        byte[] frame = new byte[14 + 28];
        frame.AsSpan(0, 6).Fill(0xFF);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0806);
        return frame;
    }

    private static byte[] TransportTcp(ushort sourcePort, ushort destinationPort, byte[] payload)
    {
        byte[] segment = new byte[20 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(segment, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(4), 1000);
        segment[12] = 5 << 4;
        segment[13] = 0x18; // PSH, ACK
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(14), 65535);
        payload.CopyTo(segment.AsSpan(20));
        return segment;
    }

    private static byte[] IPv4(byte protocol, string source, string destination, byte[] transport)
    {
        byte[] packet = new byte[20 + transport.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64;
        packet[9] = protocol;
        IPAddress.Parse(source).GetAddressBytes().CopyTo(packet.AsSpan(12));
        IPAddress.Parse(destination).GetAddressBytes().CopyTo(packet.AsSpan(16));
        transport.CopyTo(packet.AsSpan(20));
        return packet;
    }
}
