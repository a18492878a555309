using NfLua.Packets.Capture;

namespace NfLua.Packets.Tests.Capture;

public sealed class LinkLayerTests
{
    private static CaptureRecord ReadEthernet(byte[] frame) => ReadFrame(CaptureLinkType.Ethernet, frame);

    private static CaptureRecord ReadFrame(CaptureLinkType linkType, byte[] frame) =>
        Assert.Single(CaptureFiles.Read(CaptureFiles.Pcap(linkType, w => w.WriteFrame(frame))));

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

    [Theory]
    [InlineData(new ushort[] { 0x88A8, 1, 0x8100, 2, 0x8100, 3, 0x0800 })]
    [InlineData(new ushort[] { 0x9100, 1, 0x88A8, 2, 0x8100, 3, 0x8100, 4, 0x86DD })]
    public void Decode_EthernetWithStackedVlanTags_FindsIP(ushort[] typeWords)
    {
        byte[] ip = typeWords[^1] == 0x86DD ? CaptureFiles.IPv6 : CaptureFiles.IPv4;
        CaptureRecord record = ReadEthernet(CaptureFiles.Ethernet(typeWords, ip));

        Assert.Equal(CaptureSkipReason.None, record.SkipReason);
        Assert.Equal(ip, record.Packet.ToArray());
    }

    [Fact]
    public void Decode_EthernetWithMoreVlanTagsThanAnyNetworkStacks_NotIP()
    {
        ushort[] tags = [.. Enumerable.Range(1, 9).SelectMany(i => new ushort[] { 0x8100, (ushort)i }), 0x0800];

        Assert.Equal(CaptureSkipReason.NotIP, ReadEthernet(CaptureFiles.Ethernet(tags, CaptureFiles.IPv4)).SkipReason);
    }

    [Theory]
    [InlineData(new ushort[] { 0x8864 }, 0x0021)]
    [InlineData(new ushort[] { 0x8100, 7, 0x8864 }, 0x0021)]
    [InlineData(new ushort[] { 0x8864 }, 0x0057)]
    public void Decode_PppoeSession_FindsIP(ushort[] typeWords, ushort pppProtocol)
    {
        byte[] ip = pppProtocol == 0x0057 ? CaptureFiles.IPv6 : CaptureFiles.IPv4;
        // version 1, type 1, code 0 (session data), session 0x1234, length (PPP protocol + packet), PPP protocol
        byte[] pppoe = [0x11, 0x00, 0x12, 0x34, (byte)((ip.Length + 2) >> 8), (byte)(ip.Length + 2), (byte)(pppProtocol >> 8), (byte)pppProtocol];
        CaptureRecord record = ReadEthernet(CaptureFiles.Ethernet(typeWords, [.. pppoe, .. ip, 0, 0, 0, 0]));

        Assert.Equal(CaptureSkipReason.None, record.SkipReason);
        Assert.Equal(ip, record.Packet.ToArray());
    }

    [Fact]
    public void Decode_PppoeCarryingLcp_NotIP()
    {
        byte[] frame = CaptureFiles.Ethernet([0x8864], [0x11, 0x00, 0x12, 0x34, 0x00, 0x06, 0xC0, 0x21, 1, 1, 0, 4]);

        Assert.Equal(CaptureSkipReason.NotIP, ReadEthernet(frame).SkipReason);
    }

    [Fact]
    public void Decode_PppoeHeaderCutShort_Truncated()
    {
        Assert.Equal(CaptureSkipReason.Truncated, ReadEthernet(CaptureFiles.Ethernet([0x8864], [0x11, 0x00, 0x12, 0x34, 0x00])).SkipReason);
    }

    // The family in the capturing host's order (DLT_NULL: little-endian on x86, big-endian on SPARC or PowerPC) or
    // network order (DLT_LOOP); IPv6's number differs between the BSDs and macOS.
    [Theory]
    [InlineData(CaptureLinkType.Null, "02000000", 4)]
    [InlineData(CaptureLinkType.Null, "00000002", 4)]
    [InlineData(CaptureLinkType.Null, "18000000", 6)]
    [InlineData(CaptureLinkType.Null, "1C000000", 6)]
    [InlineData(CaptureLinkType.Null, "0000001E", 6)]
    [InlineData(CaptureLinkType.Loop, "00000002", 4)]
    [InlineData(CaptureLinkType.Loop, "00000018", 6)]
    public void Decode_BsdLoopback_FindsIP(CaptureLinkType linkType, string familyHex, int version)
    {
        byte[] ip = version == 6 ? CaptureFiles.IPv6 : CaptureFiles.IPv4;
        CaptureRecord record = ReadFrame(linkType, [.. Convert.FromHexString(familyHex), .. ip]);

        Assert.Equal(CaptureSkipReason.None, record.SkipReason);
        Assert.Equal(ip, record.Packet.ToArray());
    }

    [Theory]
    [InlineData("07000000")] // AF_IMPLINK
    [InlineData("02000000", true)] // says IPv4, carries IPv6
    public void Decode_BsdLoopbackOfAnotherFamily_NotIP(string familyHex, bool carryIPv6 = false)
    {
        byte[] ip = carryIPv6 ? CaptureFiles.IPv6 : CaptureFiles.IPv4;

        Assert.Equal(CaptureSkipReason.NotIP, ReadFrame(CaptureLinkType.Null, [.. Convert.FromHexString(familyHex), .. ip]).SkipReason);
    }

    [Theory]
    [InlineData(CaptureLinkType.Ppp, "FF030021", 4)]
    [InlineData(CaptureLinkType.Ppp, "0021", 4)]     // address and control omitted
    [InlineData(CaptureLinkType.Ppp, "21", 4)]       // protocol field compressed
    [InlineData(CaptureLinkType.Ppp, "FF030057", 6)]
    [InlineData(CaptureLinkType.PppHdlc, "FF030021", 4)]
    [InlineData(CaptureLinkType.PppHdlc, "0F000800", 4)] // Cisco HDLC frames under DLT_PPP_SERIAL
    [InlineData(CaptureLinkType.CiscoHdlc, "0F000800", 4)]
    [InlineData(CaptureLinkType.CiscoHdlc, "8F0086DD", 6)]
    public void Decode_PppAndCiscoHdlc_FindIP(CaptureLinkType linkType, string headerHex, int version)
    {
        byte[] ip = version == 6 ? CaptureFiles.IPv6 : CaptureFiles.IPv4;
        CaptureRecord record = ReadFrame(linkType, [.. Convert.FromHexString(headerHex), .. ip]);

        Assert.Equal(CaptureSkipReason.None, record.SkipReason);
        Assert.Equal(ip, record.Packet.ToArray());
    }

    [Theory]
    [InlineData(CaptureLinkType.Ppp, "FF03C021")]    // LCP
    [InlineData(CaptureLinkType.CiscoHdlc, "8F008035")] // SLARP
    public void Decode_PppOrHdlcControlTraffic_NotIP(CaptureLinkType linkType, string headerHex)
    {
        Assert.Equal(CaptureSkipReason.NotIP, ReadFrame(linkType, [.. Convert.FromHexString(headerHex), 1, 2, 3, 4]).SkipReason);
    }

    [Theory]
    [InlineData(CaptureLinkType.Null, "020000")]
    [InlineData(CaptureLinkType.Ppp, "FF03")]
    [InlineData(CaptureLinkType.Ppp, "FF0300")]
    [InlineData(CaptureLinkType.CiscoHdlc, "0F0008")]
    public void Decode_SerialOrLoopbackHeaderCutShort_Truncated(CaptureLinkType linkType, string headerHex)
    {
        Assert.Equal(CaptureSkipReason.Truncated, ReadFrame(linkType, Convert.FromHexString(headerHex)).SkipReason);
    }

    [Theory]
    [InlineData(CaptureLinkType.Null)]
    [InlineData(CaptureLinkType.Loop)]
    [InlineData(CaptureLinkType.Ppp)]
    [InlineData(CaptureLinkType.PppHdlc)]
    [InlineData(CaptureLinkType.CiscoHdlc)]
    public void Writer_FramesTheNewLinkTypes_AsTheReaderReadsThem(CaptureLinkType linkType)
    {
        List<CaptureRecord> records = CaptureFiles.Read(CaptureFiles.Pcap(linkType, w =>
        {
            w.WritePacket(CaptureFiles.IPv4);
            w.WritePacket(CaptureFiles.IPv6);
        }));

        Assert.Equal([CaptureFiles.IPv4, CaptureFiles.IPv6], records.Select(r => r.Packet.ToArray()));
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
