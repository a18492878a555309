namespace NfLua.Packets.Tests;

public sealed class BitFieldTests
{
    private static readonly byte[] s_aabbccdd = [0xAA, 0xBB, 0xCC, 0xDD];

    // The assertions of luadata's own test.lua, on the same bytes.
    [Theory]
    [InlineData(0, 16, Endianness.Big, 0xAABBUL)]
    [InlineData(0, 16, Endianness.Little, 0xBBAAUL)]
    [InlineData(16, 4, Endianness.Big, 0xCUL)]
    [InlineData(8, 16, Endianness.Big, 0xBBCCUL)]
    [InlineData(20, 9, Endianness.Big, 0b1100_11011UL)]
    [InlineData(0, 32, Endianness.Big, 0xAABBCCDDUL)]
    [InlineData(0, 32, Endianness.Little, 0xDDCCBBAAUL)]
    [InlineData(0, 1, Endianness.Big, 1UL)]
    [InlineData(1, 1, Endianness.Big, 0UL)]
    public void TryRead_LuadataTestVectors_ReadsLikeLuadata(long offset, int length, Endianness endian, ulong expected)
    {
        Assert.True(BitField.TryRead(s_aabbccdd, offset, length, endian, out ulong value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void TryRead_SevenBitsAfterTheFirst_ReadsTheLowBits()
    {
        // luadata's test.lua: data.new'\a' with ascii = {1, 7} reads 7.
        Assert.True(BitField.TryRead([0x07], 1, 7, Endianness.Big, out ulong value));
        Assert.Equal(7UL, value);
    }

    [Fact]
    public void TryRead_LittleEndian16BitsAtBitOffset4_SwapsTheTwoBytesOfTheRawBits()
    {
        // Raw bits 4..19 of AB CD EF are BCDE: the first 8 of them (BC) become the low byte.
        Assert.True(BitField.TryRead([0xAB, 0xCD, 0xEF], 4, 16, Endianness.Little, out ulong value));
        Assert.Equal(0xDEBCUL, value);
    }

    [Fact]
    public void TryRead_LittleEndian12Bits_PutsTheFirstByteLowAndTheLeftoverNibbleHigh()
    {
        Assert.True(BitField.TryRead([0xAB, 0xCD], 0, 12, Endianness.Big, out ulong big));
        Assert.True(BitField.TryRead([0xAB, 0xCD], 0, 12, Endianness.Little, out ulong little));
        Assert.Equal(0xABCUL, big);
        Assert.Equal(0xCABUL, little);
    }

    [Fact]
    public void TryRead_LittleEndian20BitsAtBitOffset4_OrdersChunksFromTheFirstBit()
    {
        // Raw 0x12345: chunks 12, 34 and the leftover nibble 5.
        Assert.True(BitField.TryRead([0xA1, 0x23, 0x45, 0x67], 4, 20, Endianness.Little, out ulong value));
        Assert.Equal(0x5_34_12UL, value);
    }

    [Fact]
    public void TryRead_EightBitsOrFewer_IgnoresByteOrder()
    {
        Assert.True(BitField.TryRead([0xAB, 0xCD], 4, 8, Endianness.Little, out ulong little));
        Assert.True(BitField.TryRead([0xAB, 0xCD], 4, 8, Endianness.Big, out ulong big));
        Assert.Equal(0xBCUL, little);
        Assert.Equal(0xBCUL, big);
    }

    [Fact]
    public void TryRead_HostOrder_IsTheMachinesOrder()
    {
        Endianness machine = BitConverter.IsLittleEndian ? Endianness.Little : Endianness.Big;
        Assert.True(BitField.TryRead([0xAB, 0xCD, 0xEF], 4, 16, Endianness.Host, out ulong host));
        Assert.True(BitField.TryRead([0xAB, 0xCD, 0xEF], 4, 16, machine, out ulong expected));
        Assert.Equal(expected, host);
    }

    [Theory]
    [InlineData(Endianness.Big, 0x0102030405060708UL)]
    [InlineData(Endianness.Little, 0x0807060504030201UL)]
    public void TryRead_Aligned64Bits_ReadsTheWholeWord(Endianness endian, ulong expected)
    {
        Assert.True(BitField.TryRead([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 8, 64, endian, out ulong value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData(Endianness.Big, 0x123456789ABCDEF1UL)]
    [InlineData(Endianness.Little, 0xF1DEBC9A78563412UL)]
    public void TryRead_Unaligned64BitsOverNineBytes_ReadsEveryBit(Endianness endian, ulong expected)
    {
        byte[] data = [0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0x10];
        Assert.True(BitField.TryRead(data, 4, 64, endian, out ulong value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData(25, 8)]
    [InlineData(32, 1)]
    [InlineData(0, 33)]
    [InlineData(0, 65)]
    [InlineData(0, 0)]
    [InlineData(0, -1)]
    [InlineData(-1, 8)]
    [InlineData(long.MaxValue, 8)]
    [InlineData(long.MinValue, 8)]
    [InlineData(long.MaxValue - 3, 64)]
    public void TryRead_FieldOutsideTheDataOrInvalid_ReturnsFalse(long offset, int length)
    {
        Assert.False(BitField.TryRead(s_aabbccdd, offset, length, Endianness.Big, out ulong value));
        Assert.Equal(0UL, value);
    }

    [Fact]
    public void TryRead_EmptyData_ReturnsFalse()
    {
        Assert.False(BitField.TryRead([], 0, 1, Endianness.Big, out _));
    }

    [Theory]
    [InlineData(25, 8)]
    [InlineData(0, 65)]
    [InlineData(0, 0)]
    [InlineData(-8, 8)]
    [InlineData(long.MaxValue, 1)]
    public void TryWrite_FieldOutsideTheDataOrInvalid_ReturnsFalseAndWritesNothing(long offset, int length)
    {
        byte[] data = [.. s_aabbccdd];
        Assert.False(BitField.TryWrite(data, offset, length, Endianness.Big, 0));
        Assert.Equal(s_aabbccdd, data);
    }

    [Fact]
    public void TryWrite_LeastSignificantBit_ClearsOnlyThatBit()
    {
        // luadata's test.lua: {0x0f} with lsb = {7, 1} set to 0 reads back 0x0e.
        byte[] data = [0x0F];
        Assert.True(BitField.TryWrite(data, 7, 1, Endianness.Big, 0));
        Assert.Equal([0x0E], data);
    }

    [Fact]
    public void TryWrite_UnalignedField_LeavesNeighbouringBitsUntouched()
    {
        byte[] data = [0xFF, 0xFF, 0xFF];
        Assert.True(BitField.TryWrite(data, 3, 10, Endianness.Big, 0));
        Assert.Equal([0b1110_0000, 0b0000_0111, 0xFF], data);
    }

    [Fact]
    public void TryWrite_ValueWiderThanTheField_StoresOnlyTheLowBits()
    {
        byte[] data = [0xA0, 0x00];
        Assert.True(BitField.TryWrite(data, 4, 4, Endianness.Big, 0xFF3));
        Assert.Equal([0xA3, 0x00], data);
    }

    [Fact]
    public void TryWrite_LittleEndian12Bits_WritesTheLowByteFirst()
    {
        byte[] data = [0x00, 0x0F];
        Assert.True(BitField.TryWrite(data, 0, 12, Endianness.Little, 0xCAB));
        Assert.Equal([0xAB, 0xCF], data);
    }

    [Theory]
    [InlineData(Endianness.Big, new byte[] { 0xBE, 0xEF })]
    [InlineData(Endianness.Little, new byte[] { 0xEF, 0xBE })]
    public void TryWrite_Aligned16Bits_WritesInTheGivenOrder(Endianness endian, byte[] expected)
    {
        byte[] data = new byte[2];
        Assert.True(BitField.TryWrite(data, 0, 16, endian, 0xBEEF));
        Assert.Equal(expected, data);
    }

    [Fact]
    public void TryWrite_Unaligned64BitsOverNineBytes_KeepsTheOuterNibbles()
    {
        byte[] data = [0xF0, 0, 0, 0, 0, 0, 0, 0, 0x0F];
        Assert.True(BitField.TryWrite(data, 4, 64, Endianness.Big, ulong.MaxValue));
        Assert.Equal([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], data);
        Assert.True(BitField.TryWrite(data, 4, 64, Endianness.Little, 0));
        Assert.Equal([0xF0, 0, 0, 0, 0, 0, 0, 0, 0x0F], data);
    }

    [Fact]
    public void TryWrite_AllOnesInto64Bits_ReadsBackAllOnes()
    {
        // luadata's test.lua writes -1 into a 64-bit field and reads -1 back.
        byte[] data = new byte[8];
        Assert.True(BitField.TryWrite(data, 0, 64, Endianness.Big, ulong.MaxValue));
        Assert.True(BitField.TryRead(data, 0, 64, Endianness.Big, out ulong value));
        Assert.Equal(ulong.MaxValue, value);
        Assert.Equal(-1L, unchecked((long)value));
    }
}
