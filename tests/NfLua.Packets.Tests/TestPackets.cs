using System.Buffers.Binary;

namespace NfLua.Packets.Tests;

/// <summary>Builds odd packets for tests that the hand-checked samples do not cover.</summary>
internal static class TestPackets
{
    public static readonly byte[] IPv6Source = Convert.FromHexString("20010DB8000000000000000000000001");
    public static readonly byte[] IPv6Destination = Convert.FromHexString("20010DB8000000000000000000000002");

    /// <summary>An IPv6 header with the given next header, payload length matching <paramref name="payload"/>.</summary>
    public static byte[] IPv6(byte nextHeader, byte[] payload)
    {
        byte[] packet = new byte[40 + payload.Length];
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)payload.Length);
        packet[6] = nextHeader;
        packet[7] = 64;
        IPv6Source.CopyTo(packet, 8);
        IPv6Destination.CopyTo(packet, 24);
        payload.CopyTo(packet, 40);
        return packet;
    }

    /// <summary>An IPv4 header with options (a multiple of 4 bytes), then <paramref name="payload"/>.</summary>
    public static byte[] IPv4(byte protocol, byte[] options, byte[] payload)
    {
        int headerLength = 20 + options.Length;
        byte[] packet = new byte[headerLength + payload.Length];
        packet[0] = (byte)(0x40 | (headerLength / 4));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64;
        packet[9] = protocol;
        byte[] source = [10, 0, 0, 1];
        byte[] destination = [10, 0, 0, 2];
        source.CopyTo(packet, 12);
        destination.CopyTo(packet, 16);
        options.CopyTo(packet, 20);
        payload.CopyTo(packet, headerLength);
        return packet;
    }

    public static byte[] UdpHeader(ushort sourcePort, ushort destinationPort, ushort length)
    {
        byte[] header = new byte[8];
        BinaryPrimitives.WriteUInt16BigEndian(header, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), length);
        return header;
    }
}
