using NfLua.Packets.Capture;

namespace NfLua.Packets.Tests.Capture;

public sealed class CaptureReaderPcapNgTests
{
    // Written by hand from the pcapng specification: a big-endian section, one raw-IP interface (default microsecond
    // resolution), an enhanced packet block at 1.000001 s holding the 39-byte sample IPv4/UDP packet plus one pad byte.
    private const string GoldenSection = "0A0D0D0A" + "0000001C" + "1A2B3C4D" + "0001" + "0000" + "FFFFFFFFFFFFFFFF" + "0000001C";
    private const string GoldenInterface = "00000001" + "00000014" + "0065" + "0000" + "00000000" + "00000014";
    private const string GoldenPacketHead = "00000006" + "00000048" + "00000000" + "00000000" + "000F4241" + "00000027" + "00000027";
    private const string GoldenPacketTail = "00" + "00000048";

    private static byte[] Golden => Convert.FromHexString(GoldenSection + GoldenInterface + GoldenPacketHead + SamplePackets.IPv4Udp + GoldenPacketTail);

    public static TheoryData<CaptureLinkType, bool> Variants()
    {
        var data = new TheoryData<CaptureLinkType, bool>();
        foreach (CaptureLinkType linkType in CaptureFiles.ReadableLinkTypes)
        {
            data.Add(linkType, false);
            data.Add(linkType, true);
        }

        return data;
    }

    [Fact]
    public void ReadRecords_HandWrittenBigEndianFile_GivesPacketAndTimestamp()
    {
        CaptureReader reader = CaptureReader.Open(Golden, "golden.pcapng");

        CaptureRecord record = Assert.Single(reader.ReadRecords());

        Assert.Equal(CaptureFormat.PcapNg, reader.Format);
        Assert.Equal((1, 1_000_001_000L, CaptureLinkType.Raw), (record.Index, record.TimestampNanoseconds, record.LinkType));
        Assert.Equal(CaptureFiles.IPv4, record.Packet.ToArray());
    }

    [Fact]
    public void PcapNgWriter_RawPacket_MatchesHandWrittenFile()
    {
        byte[] written = CaptureFiles.PcapNg(w => w.WritePacket(w.AddInterface(CaptureLinkType.Raw), CaptureFiles.IPv4, 1_000_001), bigEndian: true);

        Assert.Equal(Golden, written);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void ReadRecords_WrittenCapture_RoundTripsEveryLinkType(CaptureLinkType linkType, bool bigEndian)
    {
        byte[] file = CaptureFiles.PcapNg(w =>
        {
            int id = w.AddInterface(linkType, timestampResolution: 9);
            w.WritePacket(id, CaptureFiles.IPv4, 1_700_000_000_123_456_789);
            w.WritePacket(id, CaptureFiles.IPv6, 5);
        }, bigEndian);

        List<CaptureRecord> records = CaptureFiles.Read(file);

        Assert.Equal([CaptureFiles.IPv4, CaptureFiles.IPv6], records.Select(r => r.Packet.ToArray()));
        Assert.Equal([1_700_000_000_123_456_789L, 5L], records.Select(r => r.TimestampNanoseconds));
        Assert.All(records, r => Assert.Equal(linkType, r.LinkType));
    }

    [Fact]
    public void ReadRecords_SeveralInterfaces_EachRecordDecodedWithItsOwnLinkType()
    {
        byte[] file = CaptureFiles.PcapNg(w =>
        {
            int ethernet = w.AddInterface(CaptureLinkType.Ethernet);
            int cooked = w.AddInterface(CaptureLinkType.LinuxSll2);
            w.WritePacket(cooked, CaptureFiles.IPv6);
            w.WritePacket(ethernet, CaptureFiles.IPv4);
        });

        List<CaptureRecord> records = CaptureFiles.Read(file);

        Assert.Equal([CaptureLinkType.LinuxSll2, CaptureLinkType.Ethernet], records.Select(r => r.LinkType));
        Assert.Equal([CaptureFiles.IPv6, CaptureFiles.IPv4], records.Select(r => r.Packet.ToArray()));
    }

    [Fact]
    public void ReadRecords_UnknownBlocksBetweenPackets_SkippedAndNotCounted()
    {
        byte[] file = CaptureFiles.PcapNg(w =>
        {
            int id = w.AddInterface(CaptureLinkType.Raw);
            w.WriteBlock(0x0000_0BAD, [1, 2, 3, 4, 5]);
            w.WritePacket(id, CaptureFiles.IPv4);
            w.WriteBlock(5, new byte[16]); // interface statistics
            w.WritePacket(id, CaptureFiles.IPv6);
        });

        Assert.Equal([1, 2], CaptureFiles.Read(file).Select(r => r.Index));
    }

    [Fact]
    public void ReadRecords_SimplePacketBlocks_UseInterfaceZeroAndItsSnapLength()
    {
        byte[] ethernet = CaptureFiles.Ethernet([0x0800], CaptureFiles.IPv4);
        byte[] file = CaptureFiles.PcapNg(w =>
        {
            w.AddInterface(CaptureLinkType.Ethernet, snapLength: 30);
            w.AddInterface(CaptureLinkType.Raw);
            w.WriteSimplePacket(ethernet.AsSpan(0, 30), originalLength: ethernet.Length);
            w.WriteSimplePacket(CaptureFiles.Ethernet([0x0800], SamplePackets.Bytes(SamplePackets.IPv4IcmpEcho)).AsSpan(0, 30));
        });

        List<CaptureRecord> records = CaptureFiles.Read(file);

        Assert.Equal((CaptureLinkType.Ethernet, 0L, CaptureSkipReason.Truncated), (records[0].LinkType, records[0].TimestampNanoseconds, records[0].SkipReason));
        Assert.Equal(CaptureSkipReason.None, records[1].SkipReason);
        Assert.Equal(SamplePackets.Bytes(SamplePackets.IPv4IcmpEcho).AsSpan(0, 16).ToArray(), records[1].Packet.ToArray());
    }

    [Fact]
    public void ReadRecords_TwoSectionsInDifferentByteOrders_InterfacesRestartPerSection()
    {
        byte[] first = CaptureFiles.PcapNg(w => w.WritePacket(w.AddInterface(CaptureLinkType.Raw), CaptureFiles.IPv4));
        byte[] second = CaptureFiles.PcapNg(w => w.WritePacket(w.AddInterface(CaptureLinkType.LinuxSll), CaptureFiles.IPv6), bigEndian: true);

        List<CaptureRecord> records = CaptureFiles.Read([.. first, .. second]);

        Assert.Equal([CaptureLinkType.Raw, CaptureLinkType.LinuxSll], records.Select(r => r.LinkType));
        Assert.Equal([1, 2], records.Select(r => r.Index));
        Assert.Equal(CaptureFiles.IPv6, records[1].Packet.ToArray());
    }

    [Theory]
    [InlineData(null, 1_500_000UL, 1_500_000_000L)]
    [InlineData((byte)3, 1_500UL, 1_500_000_000L)]
    [InlineData((byte)12, 1_500_000_000_000UL, 1_500_000_000L)]
    [InlineData((byte)0x81, 3UL, 1_500_000_000L)]
    [InlineData((byte)0x9E, 0x6000_0000UL, 1_500_000_000L)]
    public void ReadRecords_TimestampResolutionOption_Honoured(byte? resolution, ulong timestamp, long expectedNanoseconds)
    {
        byte[] file = CaptureFiles.PcapNg(w => w.WritePacket(w.AddInterface(CaptureLinkType.Raw, timestampResolution: resolution), CaptureFiles.IPv4, timestamp));

        Assert.Equal(expectedNanoseconds, Assert.Single(CaptureFiles.Read(file)).TimestampNanoseconds);
    }

    [Fact]
    public void ReadRecords_PacketOfUndescribedInterface_ReportsIt()
    {
        byte[] file = CaptureFiles.PcapNg(w =>
        {
            w.AddInterface(CaptureLinkType.Raw);
            w.WriteEnhancedPacket(3, CaptureFiles.IPv4);
        });

        var ex = Assert.Throws<CaptureFormatException>(() => CaptureFiles.Read(file, "c.pcapng"));

        Assert.Equal("c.pcapng: record 1 refers to interface 3, but its section describes 1", ex.Message);
    }

    [Fact]
    public void ReadRecords_LastPacketBlockCutShort_ReadsTheOthersAndSaysWhere()
    {
        byte[] file = CaptureFiles.PcapNg(w =>
        {
            int id = w.AddInterface(CaptureLinkType.Raw);
            w.WritePacket(id, CaptureFiles.IPv4);
            w.WritePacket(id, CaptureFiles.IPv4);
        });
        CaptureReader reader = CaptureReader.Open(file.AsMemory(..^8), "c.pcapng");

        Assert.Single(reader.ReadRecords());
        Assert.Equal("record 2 is cut short: the file ends 64 bytes into its 72-byte block (at offset 120)", reader.CutShort);
    }

    [Fact]
    public void ReadRecords_FileEndingInsideABlockHeader_SaysWhere()
    {
        byte[] file = CaptureFiles.PcapNg(w => w.WritePacket(w.AddInterface(CaptureLinkType.Raw), CaptureFiles.IPv4));
        CaptureReader reader = CaptureReader.Open((byte[])[.. file, 6, 0, 0, 0, 0x48], "c.pcapng");

        Assert.Single(reader.ReadRecords());
        Assert.Equal($"block at offset {file.Length} is cut short: the file ends 5 bytes into it (a block takes at least 12)", reader.CutShort);
    }

    [Fact]
    public void ReadRecords_InterfaceNameAndDirection_AreOnEachRecord()
    {
        byte[] file = CaptureFiles.PcapNg(w =>
        {
            int eth = w.AddInterface(CaptureLinkType.Ethernet, name: "eth0");
            int wlan = w.AddInterface(CaptureLinkType.Raw, timestampResolution: 9, name: "wlan0\0");
            int anonymous = w.AddInterface(CaptureLinkType.Raw);
            w.WritePacket(eth, CaptureFiles.IPv4, CaptureDirection.Inbound);
            w.WritePacket(wlan, CaptureFiles.IPv4, CaptureDirection.Outbound);
            w.WritePacket(eth, CaptureFiles.IPv4);
            w.WritePacket(anonymous, CaptureFiles.IPv4, CaptureDirection.Inbound);
            w.WriteSimplePacket(SamplePacketFrame());
        });

        List<CaptureRecord> records = CaptureFiles.Read(file);

        Assert.Equal(
            [("eth0", CaptureDirection.Inbound), ("wlan0", CaptureDirection.Outbound), ("eth0", CaptureDirection.Unknown), (null, CaptureDirection.Inbound), ("eth0", CaptureDirection.Unknown)],
            records.Select(r => (r.InterfaceName, r.Direction)));
        Assert.All(records, r => Assert.Equal(CaptureFiles.IPv4, r.Packet.ToArray()));
    }

    [Fact]
    public void ReadRecords_ClassicPcap_HasNoInterfaceNameOrDirection()
    {
        CaptureRecord record = Assert.Single(CaptureFiles.Read(CaptureFiles.Pcap(CaptureLinkType.Raw, w => w.WriteFrame(CaptureFiles.IPv4))));

        Assert.Equal((null, CaptureDirection.Unknown), (record.InterfaceName, record.Direction));
    }

    private static byte[] SamplePacketFrame() => CaptureFiles.Ethernet([0x0800], CaptureFiles.IPv4);

    [Theory]
    [InlineData(4, 0x4A, "has length 74; a block length is a multiple of 4")]
    [InlineData(4, 0x08, "has length 8")]
    [InlineData(68, 0x4C, "trailing length 76 does not match its length 72")]
    [InlineData(20, 0x30, "record 1 claims 48 bytes, more than its block holds (40)")]
    public void ReadRecords_CorruptPacketBlock_ReportsWhatIsWrong(int offsetInBlock, byte value, string expected)
    {
        byte[] file = CaptureFiles.PcapNg(w => w.WritePacket(w.AddInterface(CaptureLinkType.Raw), CaptureFiles.IPv4));
        file[48 + offsetInBlock] = value; // little-endian: the low byte of the field

        var ex = Assert.Throws<CaptureFormatException>(() => CaptureFiles.Read(file));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_SectionWithUnknownByteOrderMagic_ReportsIt()
    {
        byte[] file = Golden;
        file[8] = 0x11;

        var ex = Assert.Throws<CaptureFormatException>(() => CaptureFiles.Read(file, "c.pcapng"));

        Assert.Equal("c.pcapng: section header at offset 0 has an unknown byte-order magic 0x4D3C2B11", ex.Message);
    }
}
