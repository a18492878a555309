namespace NfLua.Packets.Tests;

public sealed class BuiltInLayoutsTests
{
    // The fixed part of each header: every field must lie inside it.
    [Theory]
    [InlineData("ipv4", 20)]
    [InlineData("ipv6", 40)]
    [InlineData("tcp", 20)]
    [InlineData("udp", 8)]
    [InlineData("icmp", 8)]
    [InlineData("icmpv6", 8)]
    [InlineData("gre", 4)]
    [InlineData("sctp", 16)]
    public void All_EveryField_LiesInsideTheFixedHeader(string protocol, int headerBytes)
    {
        IReadOnlyList<LayoutFieldSpec> fields = BuiltInLayouts.All[protocol];

        Assert.NotEmpty(fields);
        Assert.Equal(fields.Count, fields.Select(f => f.Name).Distinct(StringComparer.Ordinal).Count());
        foreach (LayoutFieldSpec field in fields)
        {
            Assert.InRange(field.BitOffset, 0, (headerBytes * 8) - field.BitLength);
            Assert.Equal(Endianness.Big, field.Endian);
            if (field.Kind == LayoutFieldKind.String)
            {
                Assert.Equal(0, field.BitOffset % 8);
                Assert.Equal(0, field.BitLength % 8);
            }
            else
            {
                Assert.InRange(field.BitLength, 1, 64);
            }
        }
    }

    [Fact]
    public void All_Keys_AreTheEightProtocols()
    {
        Assert.Equal(["gre", "icmp", "icmpv6", "ipv4", "ipv6", "sctp", "tcp", "udp"], BuiltInLayouts.All.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("version", 4UL)]
    [InlineData("ihl", 5UL)]
    [InlineData("tos", 0UL)]
    [InlineData("length", 0x49UL)]
    [InlineData("id", 0x1C46UL)]
    [InlineData("flags", 2UL)]
    [InlineData("df", 1UL)]
    [InlineData("mf", 0UL)]
    [InlineData("frag_offset", 0UL)]
    [InlineData("ttl", 64UL)]
    [InlineData("protocol", 6UL)]
    [InlineData("checksum", 0x0A67UL)]
    [InlineData("src", 0x0A000001UL)]
    [InlineData("dst", 0x0A000002UL)]
    public void IPv4Layout_OnARealPacket_ReadsTheHeader(string name, ulong expected)
    {
        Assert.Equal(expected, ReadNumber("ipv4", SamplePackets.Bytes(SamplePackets.IPv4Tcp), name));
    }

    [Theory]
    [InlineData("src_port", 40000UL)]
    [InlineData("dst_port", 22UL)]
    [InlineData("seq", 0x01020304UL)]
    [InlineData("ack_seq", 0xA0B0C0D0UL)]
    [InlineData("data_offset", 8UL)]
    [InlineData("flags", 0x18UL)]
    [InlineData("ack", 1UL)]
    [InlineData("psh", 1UL)]
    [InlineData("syn", 0UL)]
    [InlineData("fin", 0UL)]
    [InlineData("rst", 0UL)]
    [InlineData("window", 64240UL)]
    [InlineData("checksum", 0x9E23UL)]
    [InlineData("urgent", 0UL)]
    public void TcpLayout_OnARealSegment_ReadsTheHeader(string name, ulong expected)
    {
        Assert.Equal(expected, ReadNumber("tcp", SamplePackets.Bytes(SamplePackets.IPv4Tcp).AsSpan(20), name));
    }

    [Theory]
    [InlineData("version", 6UL)]
    [InlineData("traffic_class", 0x12UL)]
    [InlineData("dscp", 0x12UL >> 2)]
    [InlineData("ecn", 0x12UL & 3)]
    [InlineData("flow_label", 0xABCDEUL)]
    [InlineData("payload_length", 12UL)]
    [InlineData("next_header", 17UL)]
    [InlineData("hop_limit", 64UL)]
    public void IPv6Layout_OnARealPacket_ReadsTheHeader(string name, ulong expected)
    {
        Assert.Equal(expected, ReadNumber("ipv6", SamplePackets.Bytes(SamplePackets.IPv6Udp), name));
    }

    [Fact]
    public void IPv6Layout_Addresses_AreSixteenByteStrings()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv6Udp);
        LayoutFieldSpec src = BuiltInLayouts.All["ipv6"].Single(f => f.Name == "src");
        LayoutFieldSpec dst = BuiltInLayouts.All["ipv6"].Single(f => f.Name == "dst");

        Assert.Equal(LayoutFieldKind.String, src.Kind);
        Assert.Equal(TestPackets.IPv6Source, packet.AsSpan((int)(src.BitOffset / 8), src.BitLength / 8).ToArray());
        Assert.Equal(TestPackets.IPv6Destination, packet.AsSpan((int)(dst.BitOffset / 8), dst.BitLength / 8).ToArray());
    }

    [Theory]
    [InlineData("src_port", 5353UL)]
    [InlineData("dst_port", 53UL)]
    [InlineData("length", 19UL)]
    [InlineData("checksum", 0xE76CUL)]
    public void UdpLayout_OnARealDatagram_ReadsTheHeader(string name, ulong expected)
    {
        Assert.Equal(expected, ReadNumber("udp", SamplePackets.Bytes(SamplePackets.IPv4Udp).AsSpan(20), name));
    }

    [Theory]
    [InlineData("icmp", SamplePackets.IPv4IcmpEcho, 20, "type", 8UL)]
    [InlineData("icmp", SamplePackets.IPv4IcmpEcho, 20, "id", 0x1234UL)]
    [InlineData("icmp", SamplePackets.IPv4IcmpEcho, 20, "seq", 1UL)]
    [InlineData("icmpv6", SamplePackets.IPv6IcmpV6Echo, 40, "type", 128UL)]
    [InlineData("icmpv6", SamplePackets.IPv6IcmpV6Echo, 40, "code", 0UL)]
    [InlineData("icmpv6", SamplePackets.IPv6IcmpV6Echo, 40, "checksum", 0xA358UL)]
    [InlineData("icmpv6", SamplePackets.IPv6IcmpV6Echo, 40, "id", 7UL)]
    [InlineData("icmpv6", SamplePackets.IPv6IcmpV6Echo, 40, "seq", 3UL)]
    public void IcmpLayouts_OnRealEchoRequests_ReadTheHeader(string protocol, string hex, int offset, string name, ulong expected)
    {
        Assert.Equal(expected, ReadNumber(protocol, SamplePackets.Bytes(hex).AsSpan(offset), name));
    }

    private static ulong ReadNumber(string protocol, ReadOnlySpan<byte> header, string name)
    {
        LayoutFieldSpec field = BuiltInLayouts.All[protocol].Single(f => f.Name == name);
        Assert.Equal(LayoutFieldKind.Number, field.Kind);
        Assert.True(BitField.TryRead(header, field.BitOffset, field.BitLength, field.Endian, out ulong value));
        return value;
    }
}
