namespace NfLua.Packets.Tests;

public sealed class BitFieldPropertyTests
{
    private static readonly Endianness[] s_orders = [Endianness.Big, Endianness.Little, Endianness.Host];

    [Fact]
    public void TryRead_RandomFields_MatchesTheBitByBitModel()
    {
        var random = new Random(1234);
        for (int i = 0; i < 50_000; i++)
        {
            byte[] data = new byte[random.Next(1, 20)];
            random.NextBytes(data);
            int length = random.Next(1, Math.Min(64, data.Length * 8) + 1);
            long offset = random.NextInt64(0, (data.Length * 8) - length + 1);
            Endianness endian = s_orders[random.Next(s_orders.Length)];

            Assert.True(BitField.TryRead(data, offset, length, endian, out ulong value));
            bool little = endian == Endianness.Little || (endian == Endianness.Host && BitConverter.IsLittleEndian);
            Assert.Equal(BitFieldModel.Read(data, offset, length, little), value);
        }
    }

    [Fact]
    public void TryWrite_RandomFields_ReadsBackAndKeepsEveryOtherBit()
    {
        var random = new Random(5678);
        for (int i = 0; i < 50_000; i++)
        {
            byte[] data = new byte[random.Next(1, 20)];
            random.NextBytes(data);
            byte[] before = [.. data];
            int length = random.Next(1, Math.Min(64, data.Length * 8) + 1);
            long offset = random.NextInt64(0, (data.Length * 8) - length + 1);
            Endianness endian = s_orders[random.Next(s_orders.Length)];
            ulong value = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40);

            Assert.True(BitField.TryWrite(data, offset, length, endian, value));
            Assert.True(BitField.TryRead(data, offset, length, endian, out ulong back));
            ulong mask = length == 64 ? ulong.MaxValue : (1UL << length) - 1;
            Assert.Equal(value & mask, back);
            for (long bit = 0; bit < data.Length * 8; bit++)
            {
                if (bit < offset || bit >= offset + length)
                {
                    Assert.Equal(BitFieldModel.GetBit(before, bit), BitFieldModel.GetBit(data, bit));
                }
            }
        }
    }
}
