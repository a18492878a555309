using NfLua.Netlink.Wire;

namespace NfLua.Netlink.Tests;

public sealed class NfQueuePacketParserTests
{
    // A PACKET message as the kernel builds it, every attribute we read plus an unknown one; the payload is
    // last and unpadded (nlmsg_len 165 is not a multiple of 4).
    private static readonly byte[] s_fullPacket = Bytes.Hex("""
        a5 00 00 00 | 00 03 | 00 00 | 00 00 00 00 | 00 00 00 00
        02 00 00 07
        0b 00 01 00 | 00 00 00 05 08 00 03 | 00
        08 00 03 00 | 00 00 12 34
        08 00 06 00 | 00 00 00 01
        10 00 09 00 | 00 06 00 00 | 02 42 ac 11 00 02 00 00
        14 00 04 00 | 00 00 00 00 65 53 f1 00 | 00 00 00 00 00 03 d0 90
        08 00 10 00 | 00 00 03 e8
        08 00 11 00 | 00 00 03 e9
        08 00 0e 00 | 00 00 00 05
        08 00 0d 00 | 00 00 05 dc
        08 00 15 00 | 00 00 00 06
        08 00 05 00 | 00 00 00 02
        08 00 07 00 | 00 00 00 03
        08 00 08 00 | 00 00 00 04
        06 00 63 00 | aa bb 00 00
        09 00 0a 00 | 45 00 00 14 ff
        """);

    [Fact]
    public void FullPacket_ExposesEveryAttribute_WithoutCopying()
    {
        Assert.True(NfQueuePacketParser.TryParse(s_fullPacket, out PacketLayout layout));
        var packet = new NfQueuePacket(s_fullPacket, ref layout);

        Assert.Equal(5u, packet.Id);
        Assert.Equal(7, packet.QueueNumber);
        Assert.Equal(0x0800, packet.HardwareProtocol);
        Assert.Equal(NetfilterHook.LocalOut, packet.Hook);
        Assert.Equal(0x1234u, packet.Mark);
        Assert.Equal(2u, packet.InputInterface);
        Assert.Equal(1u, packet.OutputInterface);
        Assert.Equal(3u, packet.PhysicalInputInterface);
        Assert.Equal(4u, packet.PhysicalOutputInterface);
        Assert.Equal(Bytes.Hex("02 42 ac 11 00 02"), packet.HardwareAddress.ToArray());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddMilliseconds(250), packet.Timestamp);
        Assert.Equal(1000u, packet.Uid);
        Assert.Equal(1001u, packet.Gid);
        Assert.Equal(NfQueueSkbInfo.ChecksumNotReady | NfQueueSkbInfo.ChecksumNotVerified, packet.SkbInfo);
        Assert.Equal(1500u, packet.CaptureLength);
        Assert.Equal(6u, packet.Priority);
        Assert.True(packet.SecurityContext.IsEmpty);
        Assert.Equal(Bytes.Hex("45 00 00 14 ff"), packet.Payload.ToArray());
        Assert.True(packet.Payload.Overlaps(s_fullPacket), "the payload is a view over the message, not a copy");
    }

    [Fact]
    public void MinimalPacket_ReportsAbsentAttributesAsNull()
    {
        byte[] message = Bytes.PacketMessage(Bytes.PacketHeader(9));

        Assert.True(NfQueuePacketParser.TryParse(message, out PacketLayout layout));
        var packet = new NfQueuePacket(message, ref layout);

        Assert.Equal(9u, packet.Id);
        Assert.Null(packet.Mark);
        Assert.Null(packet.Timestamp);
        Assert.Null(packet.InputInterface);
        Assert.Null(packet.Uid);
        Assert.Null(packet.CaptureLength);
        Assert.Null(packet.Priority);
        Assert.Equal(NfQueueSkbInfo.None, packet.SkbInfo);
        Assert.True(packet.HardwareAddress.IsEmpty);
        Assert.False(packet.HasPayload);
        Assert.True(packet.Payload.IsEmpty);
    }

    [Fact]
    public void ZeroLengthPayload_IsPresentAndEmpty()
    {
        byte[] message = Bytes.PacketMessage(Bytes.PacketHeader(), Bytes.Hex("04 00 0a 00"));

        Assert.True(NfQueuePacketParser.TryParse(message, out PacketLayout layout));
        var packet = new NfQueuePacket(message, ref layout);

        Assert.True(packet.HasPayload);
        Assert.Equal(0, packet.Payload.Length);
    }

    [Fact]
    public void SecurityContext_IsAView()
    {
        byte[] message = Bytes.PacketMessage(Bytes.PacketHeader(), Bytes.Hex("07 00 12 00 | 73 3a 30 00"));

        Assert.True(NfQueuePacketParser.TryParse(message, out PacketLayout layout));

        Assert.Equal("s:0"u8.ToArray(), new NfQueuePacket(message, ref layout).SecurityContext.ToArray());
    }

    [Fact]
    public void AttributeTypeFlags_AreMasked()
    {
        // NFQA_MARK with NLA_F_NET_BYTEORDER (0x4000) set.
        byte[] message = Bytes.PacketMessage(Bytes.PacketHeader(), Bytes.Hex("08 00 03 40 | 00 00 00 2a"));

        Assert.True(NfQueuePacketParser.TryParse(message, out PacketLayout layout));

        Assert.Equal(42u, new NfQueuePacket(message, ref layout).Mark);
    }

    [Fact]
    public void RepeatedAttribute_KeepsTheLastValue()
    {
        byte[] message = Bytes.PacketMessage(Bytes.PacketHeader(), Bytes.Hex("08 00 03 00 | 00 00 00 01"), Bytes.Hex("08 00 03 00 | 00 00 00 02"));

        Assert.True(NfQueuePacketParser.TryParse(message, out PacketLayout layout));

        Assert.Equal(2u, new NfQueuePacket(message, ref layout).Mark);
    }

    [Fact]
    public void HardwareAddressLength_IsCappedAtEightBytes()
    {
        byte[] message = Bytes.PacketMessage(Bytes.PacketHeader(), Bytes.Hex("10 00 09 00 | 00 ff 00 00 | 01 02 03 04 05 06 07 08"));

        Assert.True(NfQueuePacketParser.TryParse(message, out PacketLayout layout));

        Assert.Equal(8, new NfQueuePacket(message, ref layout).HardwareAddress.Length);
    }

    [Theory]
    [InlineData("the message is shorter than nlmsghdr + nfgenmsg", 19)]
    [InlineData("PACKET_HDR is cut", 27)]
    [InlineData("the payload attribute is cut", 164)]
    public void TruncatedMessage_IsMalformed(string why, int keep)
    {
        Assert.False(NfQueuePacketParser.TryParse(s_fullPacket.AsSpan(0, keep), out _), why);
    }

    [Theory]
    [InlineData("no PACKET_HDR", "08 00 03 00 | 00 00 00 01")]
    [InlineData("PACKET_HDR shorter than 7 bytes", "0a 00 01 00 | 00 00 00 05 08 00 | 00 00")]
    [InlineData("MARK shorter than 4 bytes", "0b 00 01 00 | 00 00 00 05 08 00 03 00 | 06 00 03 00 | 00 01 00 00")]
    [InlineData("TIMESTAMP shorter than 16 bytes", "0b 00 01 00 | 00 00 00 05 08 00 03 00 | 0c 00 04 00 | 00 00 00 00 00 00 00 01")]
    [InlineData("HWADDR shorter than 12 bytes", "0b 00 01 00 | 00 00 00 05 08 00 03 00 | 08 00 09 00 | 00 06 00 00")]
    [InlineData("nla_len below the attribute header", "0b 00 01 00 | 00 00 00 05 08 00 03 00 | 02 00 03 00")]
    [InlineData("nla_len past the end", "0b 00 01 00 | 00 00 00 05 08 00 03 00 | 40 00 0a 00 | 45 00")]
    [InlineData("two stray bytes after the last attribute", "0b 00 01 00 | 00 00 00 05 08 00 03 00 | 00 00")]
    public void LyingOrMissingAttributes_AreMalformed(string why, string attributes)
    {
        Assert.False(NfQueuePacketParser.TryParse(Bytes.PacketMessage(Bytes.Hex(attributes)), out _), why);
    }

    [Fact]
    public void UnknownAttributes_AreSkipped()
    {
        byte[] message = Bytes.PacketMessage(Bytes.Hex("05 00 7f 00 | 01 00 00 00"), Bytes.PacketHeader(3), Bytes.Hex("04 00 63 00"));

        Assert.True(NfQueuePacketParser.TryParse(message, out PacketLayout layout));

        Assert.Equal(3u, layout.Id);
    }
}
