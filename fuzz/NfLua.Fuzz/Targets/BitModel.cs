namespace NfLua.Fuzz.Targets;

/// <summary>
/// A bit-at-a-time reference for luadata number fields, written from the documented rule rather than the
/// optimised code: bits most significant first; little-endian cuts the field into 8-bit chunks from its first bit,
/// the first chunk being the least significant byte.
/// </summary>
internal static class BitModel
{
    public static int Bit(ReadOnlySpan<byte> data, long index) => (data[(int)(index >> 3)] >> (7 - (int)(index & 7))) & 1;

    public static bool Fits(int dataLength, long bitOffset, int bitLength) =>
        bitLength is >= 1 and <= 64 && bitOffset >= 0 && bitOffset + bitLength <= (long)dataLength * 8;

    public static ulong Read(ReadOnlySpan<byte> data, long bitOffset, int bitLength, bool little)
    {
        if (!little || bitLength <= 8)
        {
            return ReadBits(data, bitOffset, bitLength);
        }

        ulong value = 0;
        for (int chunk = 0; chunk * 8 < bitLength; chunk++)
        {
            int width = Math.Min(8, bitLength - (chunk * 8));
            value |= ReadBits(data, bitOffset + (chunk * 8), width) << (chunk * 8);
        }

        return value;
    }

    private static ulong ReadBits(ReadOnlySpan<byte> data, long bitOffset, int bitLength)
    {
        ulong value = 0;
        for (int i = 0; i < bitLength; i++)
        {
            value = (value << 1) | (uint)Bit(data, bitOffset + i);
        }

        return value;
    }
}
