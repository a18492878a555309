namespace NfLua.Packets;

public static partial class BitField
{
    // The field spans at most 9 bytes (7 leading bits to skip + 64). The first 8 go through a 64-bit accumulator;
    // a ninth byte only contributes its top bits.
    private static ulong ReadBigEndianBits(ReadOnlySpan<byte> data, long bitOffset, int bitLength)
    {
        int first = (int)(bitOffset >> 3);
        int skip = (int)(bitOffset & 7);
        int byteCount = (skip + bitLength + 7) >> 3;
        int taken = Math.Min(byteCount, 8);

        ulong window = 0;
        for (int i = 0; i < taken; i++)
        {
            window = (window << 8) | data[first + i];
        }

        if (byteCount <= 8)
        {
            return (window >> ((taken * 8) - skip - bitLength)) & LowMask(bitLength);
        }

        int extra = skip + bitLength - 64;
        window = (window << extra) | (uint)(data[first + 8] >> (8 - extra));
        return window & LowMask(bitLength);
    }

    private static void WriteBigEndianBits(Span<byte> data, long bitOffset, int bitLength, ulong value)
    {
        long end = bitOffset + bitLength;
        int first = (int)(bitOffset >> 3);
        int last = (int)((end - 1) >> 3);
        for (int index = first; index <= last; index++)
        {
            long byteStart = (long)index * 8;
            long from = Math.Max(bitOffset, byteStart);
            long to = Math.Min(end, byteStart + 8);
            int count = (int)(to - from);
            int shiftInByte = (int)(byteStart + 8 - to);
            int bitsAfter = (int)(end - to);

            uint bits = (uint)((value >> bitsAfter) & ((1UL << count) - 1));
            uint mask = ((1u << count) - 1) << shiftInByte;
            data[index] = (byte)((data[index] & ~mask) | (bits << shiftInByte));
        }
    }
}
