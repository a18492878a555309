using System.Buffers.Binary;

namespace NfLua.Examples.Tests.Packets;

/// <summary>The Internet checksum (RFC 1071), and the TCP/UDP one over the pseudo-header of either IP version.</summary>
internal static class InternetChecksum
{
    public static ushort Of(ReadOnlySpan<byte> bytes) => Fold(Sum(bytes, 0));

    /// <summary>The checksum of a TCP segment or UDP datagram whose checksum field is zero.</summary>
    public static ushort OfTransport(byte[] source, byte[] destination, byte protocol, ReadOnlySpan<byte> transport)
    {
        // The pseudo-header: both addresses, the protocol and the transport length (RFC 793, RFC 8200 8.1).
        ulong sum = Sum(source, 0);
        sum = Sum(destination, sum);
        sum += protocol;
        sum += (uint)transport.Length;
        return Fold(Sum(transport, sum));
    }

    private static ulong Sum(ReadOnlySpan<byte> bytes, ulong sum)
    {
        int i = 0;
        for (; i + 1 < bytes.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(bytes[i..]);
        }

        if (i < bytes.Length)
        {
            sum += (uint)bytes[i] << 8; // an odd last byte is padded with a zero
        }

        return sum;
    }

    private static ushort Fold(ulong sum)
    {
        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
