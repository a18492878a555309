namespace NfLua.Packets;

/// <summary>
/// Reads and writes luadata number fields: unsigned integers of 1 to 64 bits at any bit offset.
/// </summary>
/// <remarks>
/// <para>
/// Bits are numbered most significant bit first from the start of the span (bit 0 is the top bit of byte 0),
/// as in RFC header diagrams and in luadata's layouts. A field's bits, read in that order, form a big-endian
/// number.
/// </para>
/// <para>
/// Little-endian follows luadata's <c>binary.c</c> (<c>binary_get_uint64</c>/<c>swap_bytes_in</c>): the field is
/// cut into 8-bit chunks starting from its first (most significant) bit, the last chunk keeping the
/// <c>bitLength % 8</c> bits left over; the first chunk is then the least significant byte of the value, the next
/// chunk the next byte, and so on. So over the bytes <c>AB CD EF</c> a 16-bit little-endian field at bit offset 4
/// (raw bits <c>BCDE</c>) reads <c>0xDEBC</c>, and a 12-bit little-endian field at bit offset 0 (raw bits
/// <c>ABC</c>, chunks <c>AB</c> and <c>C</c>) reads <c>0xCAB</c>. Fields of 8 bits or fewer ignore the byte
/// order. luadata reads every field as unsigned (a 64-bit field with its top bit set becomes a negative Lua
/// integer only by wrapping), so there is no signed variant here.
/// </para>
/// <para>
/// Every method returns <see langword="false"/> instead of throwing: for a negative offset, a length outside
/// 1..64, or a field that does not lie entirely inside the span. None allocates.
/// </para>
/// </remarks>
public static partial class BitField
{
    /// <summary>The largest field, in bits.</summary>
    public const int MaxBitLength = 64;

    /// <summary>Reads the unsigned number field of <paramref name="bitLength"/> bits at <paramref name="bitOffset"/>.</summary>
    /// <param name="data">The bytes the offset counts from.</param>
    /// <param name="bitOffset">Offset of the field's first (most significant) bit, from the top bit of <c>data[0]</c>.</param>
    /// <param name="bitLength">Length of the field in bits, 1 to 64.</param>
    /// <param name="endian">Byte order of the field (see the type's remarks for unaligned and partial bytes).</param>
    /// <param name="value">The field's value, zero-extended; 0 when the method returns false.</param>
    /// <returns>False when the arguments are invalid or the field does not fit inside <paramref name="data"/>.</returns>
    public static bool TryRead(ReadOnlySpan<byte> data, long bitOffset, int bitLength, Endianness endian, out ulong value)
    {
        if (!Fits(data.Length, bitOffset, bitLength))
        {
            value = 0;
            return false;
        }

        bool little = IsLittle(endian);
        if ((bitOffset & 7) == 0 && TryReadWholeBytes(data[(int)(bitOffset >> 3)..], bitLength, little, out value))
        {
            return true;
        }

        value = ReadBigEndianBits(data, bitOffset, bitLength);
        if (little && bitLength > 8)
        {
            value = BigEndianBitsToLittle(value, bitLength);
        }

        return true;
    }

    /// <summary>
    /// Writes the low <paramref name="bitLength"/> bits of <paramref name="value"/> into the field at
    /// <paramref name="bitOffset"/>, leaving every bit outside the field untouched.
    /// </summary>
    /// <param name="data">The bytes the offset counts from.</param>
    /// <param name="bitOffset">Offset of the field's first (most significant) bit, from the top bit of <c>data[0]</c>.</param>
    /// <param name="bitLength">Length of the field in bits, 1 to 64.</param>
    /// <param name="endian">Byte order of the field (see the type's remarks for unaligned and partial bytes).</param>
    /// <param name="value">The value; bits above <paramref name="bitLength"/> are ignored.</param>
    /// <returns>False (and nothing written) when the arguments are invalid or the field does not fit.</returns>
    public static bool TryWrite(Span<byte> data, long bitOffset, int bitLength, Endianness endian, ulong value)
    {
        if (!Fits(data.Length, bitOffset, bitLength))
        {
            return false;
        }

        // luadata does not mask here, so an oversized value spills into the bits before a field; NfLua stores the
        // low bits only, which is what a script writing `d.flag = 3` into a 1-bit field can reasonably expect.
        value &= LowMask(bitLength);
        bool little = IsLittle(endian);
        if ((bitOffset & 7) == 0 && TryWriteWholeBytes(data[(int)(bitOffset >> 3)..], bitLength, little, value))
        {
            return true;
        }

        if (little && bitLength > 8)
        {
            value = LittleToBigEndianBits(value, bitLength);
        }

        WriteBigEndianBits(data, bitOffset, bitLength, value);
        return true;
    }

    private static bool Fits(int dataLength, long bitOffset, int bitLength) =>
        bitLength is >= 1 and <= MaxBitLength && bitOffset >= 0 && bitOffset <= ((long)dataLength * 8) - bitLength;

    private static bool IsLittle(Endianness endian) =>
        endian == Endianness.Little || (endian == Endianness.Host && BitConverter.IsLittleEndian);

    private static ulong LowMask(int bitLength) => bitLength == 64 ? ulong.MaxValue : (1UL << bitLength) - 1;
}
