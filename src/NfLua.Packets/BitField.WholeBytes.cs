using System.Buffers.Binary;

namespace NfLua.Packets;

public static partial class BitField
{
    // The hot path: byte-aligned 8/16/32/64-bit fields, which is what almost every header field is.
    private static bool TryReadWholeBytes(ReadOnlySpan<byte> bytes, int bitLength, bool little, out ulong value)
    {
        switch (bitLength)
        {
            case 8:
                value = bytes[0];
                return true;
            case 16:
                value = little ? BinaryPrimitives.ReadUInt16LittleEndian(bytes) : BinaryPrimitives.ReadUInt16BigEndian(bytes);
                return true;
            case 32:
                value = little ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes);
                return true;
            case 64:
                value = little ? BinaryPrimitives.ReadUInt64LittleEndian(bytes) : BinaryPrimitives.ReadUInt64BigEndian(bytes);
                return true;
            default:
                value = 0;
                return false;
        }
    }

    private static bool TryWriteWholeBytes(Span<byte> bytes, int bitLength, bool little, ulong value)
    {
        switch (bitLength)
        {
            case 8:
                bytes[0] = (byte)value;
                return true;
            case 16 when little:
                BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)value);
                return true;
            case 16:
                BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)value);
                return true;
            case 32 when little:
                BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)value);
                return true;
            case 32:
                BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)value);
                return true;
            case 64 when little:
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
                return true;
            case 64:
                BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
                return true;
            default:
                return false;
        }
    }
}
