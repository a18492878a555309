namespace NfLua.Packets.Tests;

/// <summary>The per-packet calls allocate nothing (STYLE.md: steady state allocates nothing).</summary>
public sealed class AllocationTests
{
    [Fact]
    public void HotPathCalls_InALoop_AllocateNothing()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv4Tcp);
        byte[] v6 = SamplePackets.Bytes(SamplePackets.IPv6HopFragFirstUdp);
        Cidr network = Cidr.Parse("10.0.0.0/8");
        char[] text = new char[IPAddressText.MaxLength];
        RunHotPath(packet, v6, network, text, out _); // JIT and tiering first

        long before = GC.GetAllocatedBytesForCurrentThread();
        int hits = RunHotPath(packet, v6, network, text, out _);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(1000 * 7, hits);
    }

    private static int RunHotPath(byte[] packet, byte[] v6, Cidr network, char[] text, out int hashesSeen)
    {
        int hits = 0;
        int hashes = 0;
        Span<byte> address = stackalloc byte[16];
        for (int i = 0; i < 1000; i++)
        {
            hits += PacketParser.TryParse(packet, out PacketInfo info) ? 1 : 0;
            hits += PacketParser.TryParse(v6, out _) ? 1 : 0;
            hits += BitField.TryRead(packet, 4, 12, Endianness.Little, out ulong value) && BitField.TryWrite(packet, 4, 12, Endianness.Little, value) ? 1 : 0;
            hits += Checksums.TryRecompute(packet) ? 1 : 0;
            FlowKey key = FlowKey.FromPacket(packet, info);
            hits += network.Contains(info.GetSourceAddress(packet)) && key.Canonical() == key.Reverse().Canonical() ? 1 : 0;
            hashes ^= key.GetHashCode();
            hits += IPAddressText.TryFormat(info.GetDestinationAddress(packet), text, out _) ? 1 : 0;
            hits += Cidr.TryParseUtf8("2001:db8::/32"u8, out Cidr v6Network, out _) && Cidr.TryParse("10.0.0.0/8", out _, out _) &&
                IPAddressText.TryParseUtf8("2001:db8::1"u8, address, out int length) && v6Network.Contains(address[..length]) ? 1 : 0;
        }

        hashesSeen = hashes;
        return hits;
    }
}
