using System.Buffers.Binary;

namespace NfLua.Packets.Tests;

public sealed class ChecksumsTests
{
    [Fact]
    public void InternetChecksum_Rfc1071Example_MatchesTheRfc()
    {
        // RFC 1071 section 3: these bytes sum to ddf2, so the checksum is its complement.
        Assert.Equal(0x220D, Checksums.InternetChecksum([0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7]));
    }

    [Fact]
    public void InternetChecksum_WellKnownIPv4Header_GivesB861()
    {
        byte[] header = Convert.FromHexString("450000730000400040110000C0A80001C0A800C7");
        Assert.Equal(0xB861, Checksums.InternetChecksum(header));
    }

    [Fact]
    public void InternetChecksum_OddLength_PadsTheLastByteWithZero()
    {
        Assert.Equal(Checksums.InternetChecksum([0x12, 0x34, 0x56, 0x00]), Checksums.InternetChecksum([0x12, 0x34, 0x56]));
    }

    [Fact]
    public void Add_InPieces_EqualsTheSumOfTheWhole()
    {
        byte[] data = SamplePackets.Bytes(SamplePackets.IPv4Tcp);
        ulong pieces = Checksums.Add(Checksums.Add(0, data.AsSpan(0, 20)), data.AsSpan(20));
        Assert.Equal(Checksums.InternetChecksum(data), Checksums.Finish(pieces));
    }

    [Fact]
    public void RecomputeIPv4Header_HeaderWithOptions_RestoresTheKnownChecksum()
    {
        byte[] expected = SamplePackets.Bytes(SamplePackets.IPv4OptionsUdp);
        byte[] packet = [.. expected];
        packet[10] = 0xDE;
        packet[11] = 0xAD;
        Assert.True(Checksums.RecomputeIPv4Header(packet));
        Assert.Equal(expected, packet);
    }

    [Theory]
    [InlineData(SamplePackets.IPv6Udp)]
    [InlineData("4500")]
    [InlineData("440000141C4640004011000000000000000000000000")]
    public void RecomputeIPv4Header_NotACompleteIPv4Header_ReturnsFalseAndChangesNothing(string hex)
    {
        byte[] packet = SamplePackets.Bytes(hex);
        byte[] before = [.. packet];
        Assert.False(Checksums.RecomputeIPv4Header(packet));
        Assert.Equal(before, packet);
    }

    [Theory]
    [MemberData(nameof(ChecksummedPackets))]
    public void TryRecompute_CorruptedChecksums_RestoresTheKnownGoodPacket(string hex)
    {
        byte[] expected = SamplePackets.Bytes(hex);
        byte[] packet = [.. expected];
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));
        int checksumOffset = info.TransportOffset + (info.Protocol switch { IpProtocol.Tcp => 16, IpProtocol.Udp => 6, _ => 2 });
        packet[checksumOffset] ^= 0x5A;
        packet[checksumOffset + 1] ^= 0xA5;
        if (info.Version == 4)
        {
            packet[10] ^= 0xFF;
        }

        Assert.True(Checksums.TryRecompute(packet));
        Assert.Equal(expected, packet);
    }

    public static TheoryData<string> ChecksummedPackets() => [.. SamplePackets.WithChecksums];

    [Theory]
    [MemberData(nameof(ChecksummedPackets))]
    public void TryRecompute_ChangedPayload_GivesChecksumsThatVerify(string hex)
    {
        byte[] packet = SamplePackets.Bytes(hex);
        packet[^1] ^= 0x40;
        Assert.True(Checksums.TryRecompute(packet));
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));
        Assert.True(ChecksumOracle.Verifies(packet, info));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void TryRecompute_UdpChecksumComputingToZero_StoresFFFF(int version)
    {
        byte[] packet = SamplePackets.Bytes(version == 4 ? SamplePackets.IPv4Udp : SamplePackets.IPv6Udp);
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));
        // With the last two payload bytes zero the checksum is C; putting C there makes the sum FFFF, i.e. checksum 0.
        packet[^2] = 0;
        packet[^1] = 0;
        if (packet.Length % 2 == 1)
        {
            // Odd payload: keep the padded word aligned by zeroing the byte before instead.
            packet[^3] = 0;
        }

        Assert.True(Checksums.TryRecompute(packet));
        ushort zeroed = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(info.TransportOffset + 6));
        int at = packet.Length % 2 == 1 ? packet.Length - 3 : packet.Length - 2;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at), zeroed);

        Assert.True(Checksums.TryRecompute(packet));
        Assert.Equal(0xFFFF, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(info.TransportOffset + 6)));
        Assert.True(ChecksumOracle.Verifies(packet, info));
    }

    [Fact]
    public void TryRecompute_IPv4UdpWithoutChecksum_KeepsZero()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv4Udp);
        packet[26] = 0;
        packet[27] = 0;
        packet[^1] ^= 1;
        Assert.True(Checksums.TryRecompute(packet));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(26)));
    }

    [Fact]
    public void TryRecompute_TruncatedTcp_ReturnsFalseFixingOnlyTheIPv4Header()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv4Tcp)[..60];
        packet[8] = 1; // TTL changed: the header checksum can still be made right.
        ushort tcpChecksum = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(36));

        Assert.False(Checksums.TryRecompute(packet));
        Assert.Equal(0, Checksums.InternetChecksum(packet.AsSpan(0, 20)));
        Assert.Equal(tcpChecksum, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(36)));
    }

    [Theory]
    [InlineData(SamplePackets.IPv6HopFragFirstUdp)]
    [InlineData(SamplePackets.IPv6FragSecond)]
    public void TryRecompute_IPv6Fragment_LeavesTheTransportAlone(string hex)
    {
        byte[] packet = SamplePackets.Bytes(hex);
        byte[] before = [.. packet];
        Assert.True(Checksums.TryRecompute(packet));
        Assert.Equal(before, packet);
    }

    [Fact]
    public void TryRecompute_IPv4FirstFragment_FixesTheHeaderButNotUdp()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv4Udp);
        packet[6] = 0x20; // more fragments, offset 0
        ushort udpChecksum = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(26));
        Assert.True(Checksums.TryRecompute(packet));
        Assert.Equal(0, Checksums.InternetChecksum(packet.AsSpan(0, 20)));
        Assert.Equal(udpChecksum, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(26)));
    }

    [Fact]
    public void TryRecompute_UdpLengthBeyondThePacket_ReturnsFalse()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv6Udp);
        packet[44] = 0;
        packet[45] = 0xFF;
        ushort udpChecksum = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(46));
        Assert.False(Checksums.TryRecompute(packet));
        Assert.Equal(udpChecksum, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(46)));
    }

    [Fact]
    public void TryRecompute_IPv6RoutingHeaderWithSegmentsLeft_ReturnsFalseAndChangesNothing()
    {
        byte[] packet = TestPackets.IPv6(IpProtocol.Routing, [IpProtocol.Udp, 0, 0, 1, 0, 0, 0, 0, .. TestPackets.UdpHeader(1, 2, 8)]);
        byte[] before = [.. packet];
        Assert.False(Checksums.TryRecompute(packet));
        Assert.Equal(before, packet);
    }

    [Fact]
    public void TryRecompute_IPv4LooseSourceRouteWithHopsLeft_ReturnsFalseFixingOnlyTheIPv4Header()
    {
        byte[] options = [131, 7, 4, 10, 9, 9, 9, 0];
        byte[] packet = TestPackets.IPv4(IpProtocol.Udp, options, [.. TestPackets.UdpHeader(1, 2, 9), 0x41]);
        packet[34] = 0x12;
        packet[35] = 0x34;

        Assert.False(Checksums.TryRecompute(packet));
        Assert.Equal(0, Checksums.InternetChecksum(packet.AsSpan(0, 28)));
        Assert.Equal(0x1234, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(34)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("50000000")]
    public void TryRecompute_NotAnIPPacket_ReturnsFalse(string hex)
    {
        byte[] packet = SamplePackets.Bytes(hex);
        byte[] before = [.. packet];
        Assert.False(Checksums.TryRecompute(packet));
        Assert.Equal(before, packet);
    }

    [Fact]
    public void TryRecompute_ProtocolWithoutAKnownChecksum_FixesTheIPv4HeaderOnly()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv4Udp);
        packet[9] = 47; // GRE
        byte[] after = [.. packet];
        Assert.True(Checksums.TryRecompute(after));
        Assert.Equal(0, Checksums.InternetChecksum(after.AsSpan(0, 20)));
        Assert.Equal(packet.AsSpan(20).ToArray(), after.AsSpan(20).ToArray());
    }
}
