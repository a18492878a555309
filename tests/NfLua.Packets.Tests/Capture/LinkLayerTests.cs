using NfLua.Packets.Capture;

namespace NfLua.Packets.Tests.Capture;

public sealed class LinkLayerTests
{
    private static CaptureRecord ReadEthernet(byte[] frame) =>
        Assert.Single(CaptureFiles.Read(CaptureFiles.Pcap(CaptureLinkType.Ethernet, w => w.WriteFrame(frame))));

    [Theory]
    [InlineData(new ushort[] { 0x8100, 0x0064, 0x0800 })]
    [InlineData(new ushort[] { 0x88A8, 0x0064, 0x8100, 0x00C8, 0x0800 })]
    [InlineData(new ushort[] { 0x8100, 0x0064, 0x8100, 0x00C8, 0x0800 })]
    public void Decode_EthernetWithVlanTags_FindsIPv4(ushort[] typeWords)
    {
        CaptureRecord record = ReadEthernet(CaptureFiles.Ethernet(typeWords, CaptureFiles.IPv4));

        Assert.Equal(CaptureSkipReason.None, record.SkipReason);
        Assert.Equal(CaptureFiles.IPv4, record.Packet.ToArray());
    }

    [Fact]
    public void Decode_EthernetWithThreeVlanTags_NotIP()
    {
        CaptureRecord record = ReadEthernet(CaptureFiles.Ethernet([0x88A8, 1, 0x8100, 2, 0x8100, 3, 0x0800], CaptureFiles.IPv4));

        Assert.Equal(CaptureSkipReason.NotIP, record.SkipReason);
    }

    [Fact]
    public void Decode_EthernetArp_NotIP()
    {
        Assert.Equal(CaptureSkipReason.NotIP, ReadEthernet(CaptureFiles.Ethernet([0x0806], new byte[28])).SkipReason);
    }

    [Fact]
    public void Decode_EthernetIPv6_FindsIt()
    {
        CaptureRecord record = ReadEthernet(CaptureFiles.Ethernet([0x86DD], CaptureFiles.IPv6));

        Assert.Equal(CaptureFiles.IPv6, record.Packet.ToArray());
    }

    [Theory]
    [InlineData(10)]
    [InlineData(16)]
    public void Decode_FrameShorterThanItsHeaders_Truncated(int length)
    {
        byte[] frame = CaptureFiles.Ethernet([0x8100, 0x0064, 0x0800], CaptureFiles.IPv4)[..length];

        Assert.Equal(CaptureSkipReason.Truncated, ReadEthernet(frame).SkipReason);
    }

    [Fact]
    public void Decode_EthernetPaddedToMinimumFrame_PaddingRemoved()
    {
        byte[] icmp = SamplePackets.Bytes(SamplePackets.IPv4IcmpEcho); // 36 bytes, padded to 46 on the wire
        byte[] frame = CaptureFiles.Ethernet([0x0800], [.. icmp, .. new byte[10]]);

        Assert.Equal(icmp, ReadEthernet(frame).Packet.ToArray());
    }

    [Theory]
    [InlineData(CaptureLinkType.LinuxSll, 14)]
    [InlineData(CaptureLinkType.LinuxSll2, 0)]
    public void Decode_CookedCaptureOfArp_NotIP(CaptureLinkType linkType, int protocolOffset)
    {
        byte[] frame = CaptureFiles.Pcap(linkType, w => w.WritePacket(CaptureFiles.IPv4));
        frame[24 + 16 + protocolOffset] = 0x08;
        frame[24 + 16 + protocolOffset + 1] = 0x06;

        Assert.Equal(CaptureSkipReason.NotIP, Assert.Single(CaptureFiles.Read(frame)).SkipReason);
    }

    [Theory]
    [InlineData(CaptureLinkType.LinuxSll, 15)]
    [InlineData(CaptureLinkType.LinuxSll2, 19)]
    public void Decode_CookedHeaderCutShort_Truncated(CaptureLinkType linkType, int length)
    {
        byte[] file = CaptureFiles.Pcap(linkType, w => w.WriteFrame(new byte[length]));

        Assert.Equal(CaptureSkipReason.Truncated, Assert.Single(CaptureFiles.Read(file)).SkipReason);
    }
}
