using System.Buffers.Binary;

namespace NfLua.Packets;

public static partial class BitField
{
    // Reorders the chunks of a field read most significant bit first: chunk i (8 bits, the last one shorter)
    // becomes byte i of the little-endian value.
    private static ulong BigEndianBitsToLittle(ulong raw, int bitLength)
    {
        int partial = bitLength & 7;
        if (partial == 0)
        {
            return BinaryPrimitives.ReverseEndianness(raw << (64 - bitLength));
        }

        int whole = bitLength - partial;
        ulong wholeChunks = raw >> partial;
        ulong lastChunk = raw & LowMask(partial);
        return BinaryPrimitives.ReverseEndianness(wholeChunks << (64 - whole)) | (lastChunk << whole);
    }

    private static ulong LittleToBigEndianBits(ulong value, int bitLength)
    {
        int partial = bitLength & 7;
        if (partial == 0)
        {
            return BinaryPrimitives.ReverseEndianness(value) >> (64 - bitLength);
        }

        int whole = bitLength - partial;
        ulong wholeChunks = BinaryPrimitives.ReverseEndianness(value & LowMask(whole)) >> (64 - whole);
        ulong lastChunk = value >> whole;
        return (wholeChunks << partial) | lastChunk;
    }
}
