namespace NfLua.Packets.Tests;

/// <summary>
/// Random and mutated input: every call returns normally, and whatever TryParse reports lies inside the span and
/// stays consistent; TryRecompute is idempotent.
/// </summary>
public sealed class RobustnessTests
{
    private const int RandomInputs = 200_000;
    private const int MutationsPerSample = 30_000;

    [Fact]
    public void TryParse_RandomBytes_ReportsOnlyOffsetsInsideTheSpan()
    {
        var random = new Random(2024);
        int parsed = 0;
        for (int i = 0; i < RandomInputs; i++)
        {
            byte[] packet = RandomPacket(random);
            parsed += CheckEverything(packet) ? 1 : 0;
        }

        // The generator biases the version nibble, so a good share gets past the IP header.
        Assert.True(parsed > RandomInputs / 10, $"only {parsed} parsed");
    }

    [Fact]
    public void TryParse_MutatedRealPackets_ReportsOnlyOffsetsInsideTheSpan()
    {
        var random = new Random(7);
        foreach (string hex in SamplePackets.All)
        {
            byte[] original = SamplePackets.Bytes(hex);
            for (int i = 0; i < MutationsPerSample; i++)
            {
                CheckEverything(Mutate(random, original));
            }
        }
    }

    [Fact]
    public void BitField_RandomArguments_NeverReachesOutsideTheSpan()
    {
        var random = new Random(99);
        for (int i = 0; i < RandomInputs; i++)
        {
            byte[] data = new byte[random.Next(0, 12)];
            long offset = random.Next(4) == 0 ? random.NextInt64(long.MinValue, long.MaxValue) : random.Next(-8, 100);
            int length = random.Next(-2, 70);
            bool valid = length is >= 1 and <= 64 && offset >= 0 && offset + length <= data.Length * 8L;

            Assert.Equal(valid, BitField.TryRead(data, offset, length, (Endianness)random.Next(3), out _));
            Assert.Equal(valid, BitField.TryWrite(data, offset, length, (Endianness)random.Next(3), (ulong)random.NextInt64()));
        }
    }

    private static bool CheckEverything(byte[] packet)
    {
        byte[] copy = [.. packet];
        bool recomputed = Checksums.TryRecompute(copy);
        if (recomputed)
        {
            byte[] again = [.. copy];
            Assert.True(Checksums.TryRecompute(again));
            Assert.Equal(copy, again);
            if (PacketParser.TryParse(copy, out PacketInfo fixedInfo) && ChecksumOracle.Applies(copy, fixedInfo))
            {
                Assert.True(ChecksumOracle.Verifies(copy, fixedInfo));
            }
        }

        if (!PacketParser.TryParse(packet, out PacketInfo info))
        {
            Assert.False(recomputed);
            return false;
        }

        Assert.InRange(info.Length, 0, packet.Length);
        Assert.InRange(info.NetworkHeaderLength, info.Version == 4 ? 20 : 40, info.Length);
        Assert.InRange(info.PayloadOffset, info.TransportOffset, info.Length);
        Assert.InRange(info.PayloadLength, 0, info.Length - info.PayloadOffset);
        Assert.Equal(info.TransportOffset + info.TransportHeaderLength, info.PayloadOffset);
        Assert.Equal(info.HasTransportHeader, info.TransportHeaderLength > 0);
        Assert.Equal(info.AddressLength, info.GetSourceAddress(packet).Length);
        Assert.Equal(info.AddressLength, info.GetDestinationAddress(packet).Length);
        Assert.Equal(info.PayloadLength, info.GetPayload(packet).Length);
        Assert.False(info.IsFirstFragment && !info.IsFragment);
        if (info.Length < packet.Length)
        {
            Assert.False(info.IsTruncated);
        }

        _ = FlowKey.FromPacket(packet, info).Canonical();
        return true;
    }

    private static byte[] RandomPacket(Random random)
    {
        byte[] packet = new byte[random.Next(0, 120)];
        random.NextBytes(packet);
        if (packet.Length > 0 && random.Next(4) != 0)
        {
            packet[0] = (byte)((random.Next(2) == 0 ? 0x40 : 0x60) | (packet[0] & 0x0F));
        }

        return packet;
    }

    private static byte[] Mutate(Random random, byte[] original)
    {
        byte[] packet = random.Next(5) == 0 ? original[..random.Next(original.Length + 1)] : [.. original];
        int changes = random.Next(1, 4);
        for (int c = 0; c < changes && packet.Length > 0; c++)
        {
            int at = random.Next(packet.Length);
            packet[at] = random.Next(3) switch
            {
                0 => (byte)random.Next(256),
                1 => (byte)(packet[at] ^ (1 << random.Next(8))),
                _ => random.Next(2) == 0 ? (byte)0 : (byte)0xFF,
            };
        }

        return packet;
    }
}
