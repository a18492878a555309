namespace NfLua.Packets.Tests;

/// <summary>
/// A deliberately naive model of luadata's number fields, one bit at a time, to check the real implementation
/// against: the field's bits form a big-endian number; little-endian takes 8-bit chunks from the first bit, the
/// first chunk least significant, the last chunk holding what is left.
/// </summary>
internal static class BitFieldModel
{
    public static bool GetBit(ReadOnlySpan<byte> data, long bit) => ((data[(int)(bit / 8)] >> (7 - (int)(bit % 8))) & 1) != 0;

    public static ulong Read(ReadOnlySpan<byte> data, long offset, int length, bool little)
    {
        ulong raw = 0;
        for (int i = 0; i < length; i++)
        {
            raw = (raw << 1) | (GetBit(data, offset + i) ? 1UL : 0UL);
        }

        return little && length > 8 ? ChunksLittle(raw, length) : raw;
    }

    private static ulong ChunksLittle(ulong raw, int length)
    {
        ulong result = 0;
        int shift = 0;
        for (int taken = 0; taken < length; taken += 8)
        {
            int size = Math.Min(8, length - taken);
            ulong chunk = (raw >> (length - taken - size)) & ((1UL << size) - 1);
            result |= chunk << shift;
            shift += 8;
        }

        return result;
    }
}
