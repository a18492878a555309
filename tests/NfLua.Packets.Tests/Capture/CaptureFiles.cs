using NfLua.Packets.Capture;

namespace NfLua.Packets.Tests.Capture;

/// <summary>Builds capture files in memory with the writers, and the link-layer frames tests need by hand.</summary>
internal static class CaptureFiles
{
    public static byte[] IPv4 => SamplePackets.Bytes(SamplePackets.IPv4Udp);

    public static byte[] IPv6 => SamplePackets.Bytes(SamplePackets.IPv6Udp);

    public static CaptureLinkType[] ReadableLinkTypes { get; } =
        [CaptureLinkType.Ethernet, CaptureLinkType.Raw, CaptureLinkType.LinuxSll, CaptureLinkType.LinuxSll2];

    public static byte[] Pcap(CaptureLinkType linkType, Action<PcapWriter> write, bool nanoseconds = false, bool bigEndian = false)
    {
        using var stream = new MemoryStream();
        write(new PcapWriter(stream, linkType, nanoseconds, bigEndian));
        return stream.ToArray();
    }

    public static byte[] PcapNg(Action<PcapNgWriter> write, bool bigEndian = false)
    {
        using var stream = new MemoryStream();
        write(new PcapNgWriter(stream, bigEndian));
        return stream.ToArray();
    }

    public static List<CaptureRecord> Read(byte[] file, string name = "test.pcap") =>
        [.. CaptureReader.Open(file, name).ReadRecords()];

    /// <summary>An Ethernet frame: two MACs, then the given 16-bit words (VLAN tags and EtherType), then the payload.</summary>
    public static byte[] Ethernet(ushort[] typeWords, byte[] payload)
    {
        var frame = new List<byte>(new byte[12]);
        foreach (ushort word in typeWords)
        {
            frame.Add((byte)(word >> 8));
            frame.Add((byte)word);
        }

        frame.AddRange(payload);
        return [.. frame];
    }
}
