using NfLua.Packets.Capture;

namespace NfLua.Packets.Tests.Capture;

public sealed class CaptureReaderPcapTests
{
    // Written by hand from the libpcap file format: little-endian microsecond header, snaplen 65535, Ethernet,
    // one record at 1.000002 s holding an Ethernet header (EtherType 0x0800) and the sample IPv4/UDP packet.
    private const string GoldenHeader = "D4C3B2A1" + "0200" + "0400" + "00000000" + "00000000" + "FFFF0000" + "01000000";
    private const string GoldenRecordHeader = "01000000" + "02000000" + "35000000" + "35000000";
    private const string GoldenEthernet = "020000000002" + "020000000001" + "0800";

    private static byte[] Golden => Convert.FromHexString(GoldenHeader + GoldenRecordHeader + GoldenEthernet + SamplePackets.IPv4Udp);

    public static TheoryData<CaptureLinkType, bool, bool> Variants()
    {
        var data = new TheoryData<CaptureLinkType, bool, bool>();
        foreach (CaptureLinkType linkType in CaptureFiles.ReadableLinkTypes)
        {
            foreach (bool nanoseconds in new[] { false, true })
            {
                data.Add(linkType, nanoseconds, false);
                data.Add(linkType, nanoseconds, true);
            }
        }

        return data;
    }

    [Fact]
    public void ReadRecords_HandWrittenFile_GivesIPPacketAndTimestamp()
    {
        CaptureReader reader = CaptureReader.Open(Golden, "golden.pcap");

        CaptureRecord record = Assert.Single(reader.ReadRecords());

        Assert.Equal((CaptureFormat.Pcap, CaptureLinkType.Ethernet), (reader.Format, reader.LinkType));
        Assert.Equal((1, 1_000_002_000L, CaptureSkipReason.None, 53L), (record.Index, record.TimestampNanoseconds, record.SkipReason, record.OriginalLength));
        Assert.Equal(CaptureFiles.IPv4, record.Packet.ToArray());
    }

    [Fact]
    public void PcapWriter_EthernetPacket_MatchesHandWrittenFile()
    {
        byte[] written = CaptureFiles.Pcap(CaptureLinkType.Ethernet, w => w.WritePacket(CaptureFiles.IPv4, 1_000_002_000), bigEndian: false);

        // Identical apart from the declared snap length.
        Assert.Equal(Golden[24..], written[24..]);
        Assert.Equal(Golden[..16], written[..16]);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void ReadRecords_WrittenCapture_RoundTripsPacketsAndTimestamps(CaptureLinkType linkType, bool nanoseconds, bool bigEndian)
    {
        byte[] file = CaptureFiles.Pcap(linkType, w =>
        {
            w.WritePacket(CaptureFiles.IPv4, 1_700_000_000_123_456_789);
            w.WritePacket(CaptureFiles.IPv6, 1_700_000_001_000_000_001);
        }, nanoseconds, bigEndian);

        List<CaptureRecord> records = CaptureFiles.Read(file);

        Assert.Equal([1, 2], records.Select(r => r.Index));
        Assert.All(records, r => Assert.Equal((linkType, CaptureSkipReason.None), (r.LinkType, r.SkipReason)));
        Assert.Equal(CaptureFiles.IPv4, records[0].Packet.ToArray());
        Assert.Equal(CaptureFiles.IPv6, records[1].Packet.ToArray());
        Assert.Equal(nanoseconds ? 1_700_000_000_123_456_789 : 1_700_000_000_123_456_000, records[0].TimestampNanoseconds);
    }

    [Theory]
    [InlineData(CaptureLinkType.IPv4, SamplePackets.IPv4Udp, CaptureSkipReason.None)]
    [InlineData(CaptureLinkType.IPv4, SamplePackets.IPv6Udp, CaptureSkipReason.NotIP)]
    [InlineData(CaptureLinkType.IPv6, SamplePackets.IPv6Udp, CaptureSkipReason.None)]
    [InlineData(CaptureLinkType.IPv6, SamplePackets.IPv4Udp, CaptureSkipReason.NotIP)]
    [InlineData(CaptureLinkType.Raw, "00112233", CaptureSkipReason.NotIP)]
    public void ReadRecords_RawLinkTypes_AcceptOnlyTheirIPVersion(CaptureLinkType linkType, string packetHex, CaptureSkipReason expected)
    {
        byte[] file = CaptureFiles.Pcap(linkType, w => w.WriteFrame(Convert.FromHexString(packetHex)));

        Assert.Equal(expected, Assert.Single(CaptureFiles.Read(file)).SkipReason);
    }

    [Fact]
    public void ReadRecords_UnknownLinkType_SkipsRecordsAsUnsupported()
    {
        byte[] file = CaptureFiles.Pcap((CaptureLinkType)147, w => w.WriteFrame(CaptureFiles.IPv4));

        CaptureRecord record = Assert.Single(CaptureFiles.Read(file));

        Assert.Equal(CaptureSkipReason.UnsupportedLinkType, record.SkipReason);
        Assert.True(record.Packet.IsEmpty);
    }

    [Fact]
    public void ReadRecords_RecordCutBySnapLength_SkippedAsTruncated()
    {
        byte[] file = CaptureFiles.Pcap(CaptureLinkType.Raw, w => w.WriteFrame(CaptureFiles.IPv4.AsSpan(0, 20), originalLength: CaptureFiles.IPv4.Length));

        CaptureRecord record = Assert.Single(CaptureFiles.Read(file));

        Assert.Equal((CaptureSkipReason.Truncated, (long)CaptureFiles.IPv4.Length), (record.SkipReason, record.OriginalLength));
    }

    [Fact]
    public void ReadRecords_LastRecordCutShort_ReadsTheOthersAndSaysWhere()
    {
        byte[] file = CaptureFiles.Pcap(CaptureLinkType.Raw, w =>
        {
            w.WriteFrame(CaptureFiles.IPv4);
            w.WriteFrame(CaptureFiles.IPv6);
        });
        CaptureReader reader = CaptureReader.Open(file.AsMemory(..^10), "capture.pcap");

        CaptureRecord record = Assert.Single(reader.ReadRecords());

        Assert.Equal(CaptureFiles.IPv4, record.Packet.ToArray());
        Assert.Equal($"record 2 is cut short: the file ends {CaptureFiles.IPv6.Length - 10} bytes into its {CaptureFiles.IPv6.Length} bytes", reader.CutShort);
    }

    [Fact]
    public void ReadRecords_FileEndingCleanly_IsNotCutShort()
    {
        CaptureReader reader = CaptureReader.Open(CaptureFiles.Pcap(CaptureLinkType.Raw, w => w.WriteFrame(CaptureFiles.IPv4)), "c.pcap");

        Assert.Single(reader.ReadRecords());
        Assert.Null(reader.CutShort);
    }

    [Fact]
    public void ReadRecords_HugeLength_ReportsItInsteadOfAllocating()
    {
        byte[] file = CaptureFiles.Pcap(CaptureLinkType.Raw, w => w.WriteFrame(CaptureFiles.IPv4));
        BitConverter.TryWriteBytes(file.AsSpan(24 + 8), 0xFFFFFFF0u);

        var ex = Assert.Throws<CaptureFormatException>(() => CaptureFiles.Read(file, "big.pcap"));

        Assert.StartsWith("big.pcap: record 1 claims 4294967280 bytes, more than a record may hold (262144", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRecords_RecordHeaderCutShort_ReadsTheOthersAndSaysWhere()
    {
        byte[] file = CaptureFiles.Pcap(CaptureLinkType.Raw, w => w.WriteFrame(CaptureFiles.IPv4));
        CaptureReader reader = CaptureReader.Open((byte[])[.. file, 1, 2, 3], "c.pcap");

        Assert.Single(reader.ReadRecords());
        Assert.Equal("record 2 is cut short: the file ends 3 bytes into its 16-byte header", reader.CutShort);
    }

    [Theory]
    [InlineData("0102030405060708", "not a pcap or pcapng capture (magic 0x01020304)")]
    [InlineData("D4C3", "too short to be a capture (2 bytes)")]
    [InlineData("D4C3B2A10200", "pcap file header cut short: 6 of 24 bytes")]
    [InlineData("D4C3B2A1030000000000000000000000FFFF000001000000", "pcap version 3.0 is not supported")]
    public void Open_BadHeader_ReportsWhatIsWrong(string hex, string expected)
    {
        var ex = Assert.Throws<CaptureFormatException>(() => CaptureReader.Open(Convert.FromHexString(hex), "x.pcap"));

        Assert.StartsWith("x.pcap: " + expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_Stream_ReadsLikeMemory()
    {
        using var stream = new MemoryStream(Golden);

        CaptureReader reader = CaptureReader.Open(stream, "s.pcap");

        Assert.Equal(CaptureFiles.IPv4, Assert.Single(reader.ReadRecords()).Packet.ToArray());
    }
}
