using System.Buffers.Binary;

namespace NfLua.Netlink.Kernel.Tests;

/// <summary>Rebuilds an IPv4/UDP packet around a new UDP payload, with every length and checksum fixed.</summary>
internal static class Ipv4Udp
{
    public static byte[] WithData(byte[] packet, ReadOnlySpan<byte> data, bool breakUdpChecksum = false)
    {
        int ipHeader = (packet[0] & 0xF) * 4;
        byte[] result = [.. packet.AsSpan(0, ipHeader + 8), .. data];
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(2), (ushort)result.Length);
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(10), 0);
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(10), Checksum(result.AsSpan(0, ipHeader), 0));

        Span<byte> udp = result.AsSpan(ipHeader);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)udp.Length);
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], 0);
        uint pseudo = Sum(result.AsSpan(12, 8)) + 17u + (uint)udp.Length;
        ushort checksum = Checksum(udp, pseudo);
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], (ushort)((checksum == 0 ? 0xFFFF : checksum) ^ (breakUdpChecksum ? 0x0101 : 0)));
        return result;
    }

    private static ushort Checksum(ReadOnlySpan<byte> data, uint initial)
    {
        uint sum = initial + Sum(data);
        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    private static uint Sum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if ((data.Length & 1) != 0)
        {
            sum += (uint)data[^1] << 8;
        }

        return sum;
    }
}
