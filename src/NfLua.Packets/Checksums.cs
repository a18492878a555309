using System.Buffers.Binary;

namespace NfLua.Packets;

/// <summary>The internet checksum (RFC 1071) and the IP, TCP, UDP and ICMP checksums built on it.</summary>
/// <remarks>Nothing here allocates or throws on packet bytes.</remarks>
public static partial class Checksums
{
    /// <summary>The internet checksum of <paramref name="data"/>: the ones' complement of its ones' complement sum.</summary>
    /// <param name="data">The bytes, read as big-endian 16-bit words; an odd last byte is padded with zero.</param>
    /// <returns>The checksum, in host order (write it big-endian).</returns>
    public static ushort InternetChecksum(ReadOnlySpan<byte> data) => Finish(Add(0, data));

    /// <summary>Adds <paramref name="data"/> to a running ones' complement sum.</summary>
    /// <param name="sum">The running sum (0 to start); pass the result back in to continue.</param>
    /// <param name="data">
    /// The bytes, read as big-endian 16-bit words; an odd last byte is padded with zero, so only the last piece of a
    /// message may have an odd length.
    /// </param>
    /// <returns>The new running sum, not yet folded.</returns>
    public static ulong Add(ulong sum, ReadOnlySpan<byte> data)
    {
        // 32-bit words summed into 64 bits fold to the same 16-bit result (2^16 is 1 modulo 0xFFFF), with fewer
        // additions and no overflow below 2^32 words.
        while (data.Length >= 4)
        {
            sum += BinaryPrimitives.ReadUInt32BigEndian(data);
            data = data[4..];
        }

        if (data.Length >= 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data);
            data = data[2..];
        }

        if (data.Length == 1)
        {
            sum += (uint)data[0] << 8;
        }

        return sum;
    }

    /// <summary>Folds a running sum to 16 bits and complements it: the value to store in a checksum field.</summary>
    /// <param name="sum">A running sum from <see cref="Add"/>.</param>
    /// <returns>The checksum, in host order.</returns>
    public static ushort Finish(ulong sum)
    {
        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
