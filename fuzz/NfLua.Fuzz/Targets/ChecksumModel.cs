using NfLua.Packets;

namespace NfLua.Fuzz.Targets;

/// <summary>RFC 1071 the slow way, 16 bits at a time, to check the checksums NfLua writes.</summary>
internal static class ChecksumModel
{
    public static uint Sum(ReadOnlySpan<byte> data, uint sum = 0)
    {
        for (int i = 0; i < data.Length; i += 2)
        {
            sum += (uint)(data[i] << 8) | (i + 1 < data.Length ? data[i + 1] : 0u);
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return sum;
    }

    public static ushort Fold(uint sum)
    {
        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)sum;
    }

    /// <summary>True when the bytes, checksum field included, sum to all ones: the checksum is right.</summary>
    public static bool Verifies(ReadOnlySpan<byte> data, uint pseudoHeaderSum = 0) => Fold(Sum(data, Fold(pseudoHeaderSum))) == 0xFFFF;

    public static uint PseudoHeader(ReadOnlySpan<byte> packet, in PacketInfo info, int upperLength)
    {
        uint sum = Sum(info.GetSourceAddress(packet));
        sum = Sum(info.GetDestinationAddress(packet), sum);
        return sum + info.Protocol + (uint)(upperLength & 0xFFFF) + (uint)(upperLength >> 16);
    }
}
