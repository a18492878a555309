using System.Runtime.InteropServices;
using NfLua.Fuzz.Engine;
using NfLua.Packets.Capture;

namespace NfLua.Fuzz.Targets;

/// <summary>
/// <see cref="CaptureReader"/> on one capture file (pcap or pcapng). The only exception allowed is
/// <see cref="CaptureFormatException"/>; records are numbered 1, 2, 3...; a packet is a slice of the file that starts
/// with an IP version nibble. A capture read to its end is written again (pcap with nanosecond timestamps, or
/// pcapng, chosen by the input) and must read back to the same packets.
/// </summary>
internal sealed class CaptureTarget : IFuzzTarget
{
    private const string CaptureName = "fuzz.capture";

    public string Name => "capture";

    public IReadOnlyList<byte[]> Dictionary { get; } =
        [[0xD4, 0xC3, 0xB2, 0xA1], [0xA1, 0xB2, 0xC3, 0xD4], [0x4D, 0x3C, 0xB2, 0xA1], [0x0A, 0x0D, 0x0D, 0x0A], [0x4D, 0x3C, 0x2B, 0x1A],
         [0x1A, 0x2B, 0x3C, 0x4D], [0x01, 0x00, 0x00, 0x00], [0x06, 0x00, 0x00, 0x00], [0x03, 0x00, 0x00, 0x00], [0x09, 0x00, 0x01, 0x00],
         [0x0E, 0x00, 0x08, 0x00], [0x65, 0x00], [0x71, 0x00], [0x14, 0x01], [0x08, 0x00], [0x86, 0xDD], [0x81, 0x00], [0x88, 0xA8],
         [0x91, 0x00], [0x88, 0x64], [0x00, 0x21], [0x00, 0x57], [0xFF, 0x03], [0x0F, 0x00], [0x02, 0x00, 0x00, 0x00], [0x00, 0x00, 0x00, 0x18],
         [0x02, 0x00, 0x04, 0x00]];

    public IEnumerable<Seed> Seeds()
    {
        List<byte[]> packets = [.. PacketBuilder.Samples().Select(s => s.Packet)];
        yield return new Seed("ethernet.pcap", Pcap(CaptureLinkType.Ethernet, nanoseconds: false, bigEndian: false, packets));
        yield return new Seed("raw-nanoseconds-big-endian.pcap", Pcap(CaptureLinkType.Raw, nanoseconds: true, bigEndian: true, packets));
        yield return new Seed("linux-sll.pcap", Pcap(CaptureLinkType.LinuxSll, nanoseconds: false, bigEndian: false, packets[..3]));
        yield return new Seed("linux-sll2.pcap", Pcap(CaptureLinkType.LinuxSll2, nanoseconds: false, bigEndian: false, packets[3..6]));
        yield return new Seed("two-interfaces.pcapng", PcapNg(bigEndian: false, packets));
        yield return new Seed("big-endian.pcapng", PcapNg(bigEndian: true, packets[..4]));
        yield return new Seed("bsd-null.pcap", Pcap(CaptureLinkType.Null, nanoseconds: false, bigEndian: false, packets[..4]));
        yield return new Seed("openbsd-loop.pcap", Pcap(CaptureLinkType.Loop, nanoseconds: false, bigEndian: true, packets[2..6]));
        yield return new Seed("ppp.pcap", Pcap(CaptureLinkType.Ppp, nanoseconds: false, bigEndian: false, packets[..4]));
        yield return new Seed("ppp-hdlc.pcap", Pcap(CaptureLinkType.PppHdlc, nanoseconds: false, bigEndian: false, packets[1..4]));
        yield return new Seed("cisco-hdlc.pcap", Pcap(CaptureLinkType.CiscoHdlc, nanoseconds: false, bigEndian: false, packets[..4]));
        yield return new Seed("vlans-and-pppoe.pcap", TaggedEthernet(packets[..4]));
        yield return new Seed("named-interfaces-directions.pcapng", PcapNgWithNamesAndDirections(packets[..4]));
        byte[] whole = Pcap(CaptureLinkType.Raw, nanoseconds: false, bigEndian: false, packets[..3]);
        yield return new Seed("cut-short.pcap", whole[..^5]);
    }

    public byte[] Generate(Random random)
    {
        CaptureLinkType[] links = [CaptureLinkType.Ethernet, CaptureLinkType.Raw, CaptureLinkType.IPv4, CaptureLinkType.IPv6, CaptureLinkType.LinuxSll, CaptureLinkType.LinuxSll2,
            CaptureLinkType.Null, CaptureLinkType.Loop, CaptureLinkType.Ppp, CaptureLinkType.PppHdlc, CaptureLinkType.CiscoHdlc, (CaptureLinkType)random.Next(300)];
        List<byte[]> packets = [.. Enumerable.Range(0, random.Next(0, 5)).Select(_ => PacketBuilder.Random(random))];
        if (random.Next(2) == 0)
        {
            return Pcap(links[random.Next(links.Length)], random.Next(2) == 0, random.Next(2) == 0, packets);
        }

        using var stream = new MemoryStream();
        var writer = new PcapNgWriter(stream, random.Next(2) == 0);
        int first = writer.AddInterface(links[random.Next(links.Length)], random.Next(3) == 0 ? random.Next(1, 100) : 0, random.Next(2) == 0 ? (byte)random.Next(256) : null);
        foreach (byte[] packet in packets)
        {
            switch (random.Next(4))
            {
                case 0:
                    writer.WriteSimplePacket(packet, random.Next(4) == 0 ? packet.Length + random.Next(1, 9) : null);
                    break;
                case 1:
                    writer.WriteBlock((uint)random.Next(), packet);
                    break;
                default:
                    writer.WriteEnhancedPacket(random.Next(8) == 0 ? random.Next(3) : first, packet, (ulong)random.NextInt64(), random.Next(8) == 0 ? packet.Length + 1 : null);
                    break;
            }
        }

        return stream.ToArray();
    }

    public bool Check(byte[] input)
    {
        List<CaptureRecord> records;
        try
        {
            CaptureReader reader = CaptureReader.Open(input, CaptureName);
            records = [];
            foreach (CaptureRecord record in reader.ReadRecords())
            {
                CheckRecord(input, record, records.Count + 1);
                records.Add(record);
            }
        }
        catch (CaptureFormatException ex)
        {
            InvariantViolationException.Assert(ex.Message.StartsWith(CaptureName + ": ", StringComparison.Ordinal), $"error without the capture's name: {ex.Message}");
            return false;
        }

        CheckRoundTrip(records, pcapNg: InputRandom.For(input).Next(2) == 0);
        return true;
    }

    private static void CheckRecord(byte[] input, CaptureRecord record, int expectedIndex)
    {
        InvariantViolationException.Assert(record.Index == expectedIndex, $"record {record.Index} where {expectedIndex} was due");
        _ = record.Timestamp;
        if (record.IsSkipped)
        {
            InvariantViolationException.Assert(record.Packet.IsEmpty, "a skipped record with a packet");
            return;
        }

        InvariantViolationException.Assert(!record.Packet.IsEmpty && record.Packet.Span[0] >> 4 is 4 or 6, $"record {record.Index}: a packet that is not IP");
        InvariantViolationException.Assert(
            MemoryMarshal.TryGetArray(record.Packet, out ArraySegment<byte> segment) && ReferenceEquals(segment.Array, input) && segment.Offset + segment.Count <= input.Length,
            $"record {record.Index}: the packet is not a slice of the file");
    }

    private static void CheckRoundTrip(List<CaptureRecord> records, bool pcapNg)
    {
        List<CaptureRecord> packets = [.. records.Where(r => !r.IsSkipped)];
        using var stream = new MemoryStream();
        if (pcapNg)
        {
            var writer = new PcapNgWriter(stream);
            int id = writer.AddInterface(CaptureLinkType.Raw, timestampResolution: 9);
            packets.ForEach(r => writer.WriteEnhancedPacket(id, r.Packet.Span, (ulong)r.TimestampNanoseconds));
        }
        else
        {
            var writer = new PcapWriter(stream, CaptureLinkType.Raw, nanosecondTimestamps: true);
            packets.ForEach(r => writer.WriteFrame(r.Packet.Span, r.TimestampNanoseconds));
        }

        List<CaptureRecord> back = [.. CaptureReader.Open(stream.ToArray(), "rewritten").ReadRecords()];
        InvariantViolationException.Assert(back.Count == packets.Count, $"{packets.Count} packets written, {back.Count} read back");
        for (int i = 0; i < back.Count; i++)
        {
            InvariantViolationException.Assert(!back[i].IsSkipped && back[i].Packet.Span.SequenceEqual(packets[i].Packet.Span), $"packet {i + 1} reads back different");
            long ns = packets[i].TimestampNanoseconds;
            bool representable = pcapNg ? ns >= 0 : ns >= 0 && ns / 1_000_000_000L <= uint.MaxValue;
            InvariantViolationException.Assert(!representable || back[i].TimestampNanoseconds == ns, $"packet {i + 1}: timestamp {ns} reads back as {back[i].TimestampNanoseconds}");
        }
    }

    private static byte[] Pcap(CaptureLinkType link, bool nanoseconds, bool bigEndian, IEnumerable<byte[]> packets)
    {
        using var stream = new MemoryStream();
        var writer = new PcapWriter(stream, link, nanoseconds, bigEndian);
        long time = 1_700_000_000_123_456_789;
        foreach (byte[] packet in packets)
        {
            if (Enum.IsDefined(link))
            {
                writer.WritePacket(packet, time);
            }
            else
            {
                writer.WriteFrame(packet, time);
            }

            time += 1_000_000;
        }

        return stream.ToArray();
    }

    private static byte[] PcapNg(bool bigEndian, IEnumerable<byte[]> packets)
    {
        using var stream = new MemoryStream();
        var writer = new PcapNgWriter(stream, bigEndian);
        int ethernet = writer.AddInterface(CaptureLinkType.Ethernet);
        int raw = writer.AddInterface(CaptureLinkType.Raw, snapLength: 65535, timestampResolution: 9);
        writer.WriteBlock(0x0000_0BAD, [1, 2, 3, 4]); // a custom block the reader must skip
        int n = 0;
        foreach (byte[] packet in packets)
        {
            writer.WritePacket(n % 2 == 0 ? ethernet : raw, packet, 1_700_000_000_000_000UL + (ulong)n);
            n++;
        }

        return stream.ToArray();
    }

    /// <summary>Ethernet frames behind one to three VLAN tags (0x8100, 0x88a8, 0x9100), every other one in a PPPoE session.</summary>
    private static byte[] TaggedEthernet(IEnumerable<byte[]> packets)
    {
        using var stream = new MemoryStream();
        var writer = new PcapWriter(stream, CaptureLinkType.Ethernet);
        ushort[] tags = [0x9100, 0x88A8, 0x8100];
        int n = 0;
        foreach (byte[] packet in packets)
        {
            var frame = new List<byte>(new byte[12]);
            foreach (ushort tag in tags[(n % 3)..])
            {
                frame.AddRange([(byte)(tag >> 8), (byte)tag, 0, (byte)(n + 1)]);
            }

            bool v6 = packet.Length > 0 && packet[0] >> 4 == 6;
            if (n % 2 == 1)
            {
                int length = packet.Length + 2;
                frame.AddRange([0x88, 0x64, 0x11, 0x00, 0x00, 0x01, (byte)(length >> 8), (byte)length, 0x00, (byte)(v6 ? 0x57 : 0x21)]);
            }
            else
            {
                frame.AddRange(v6 ? [0x86, 0xDD] : [0x08, 0x00]);
            }

            frame.AddRange(packet);
            writer.WriteFrame([.. frame]);
            n++;
        }

        return stream.ToArray();
    }

    private static byte[] PcapNgWithNamesAndDirections(IEnumerable<byte[]> packets)
    {
        using var stream = new MemoryStream();
        var writer = new PcapNgWriter(stream);
        int eth = writer.AddInterface(CaptureLinkType.Ethernet, name: "eth0");
        int ppp = writer.AddInterface(CaptureLinkType.Ppp, timestampResolution: 9, name: "ppp0");
        int n = 0;
        foreach (byte[] packet in packets)
        {
            writer.WritePacket(n % 2 == 0 ? eth : ppp, packet, (CaptureDirection)(n % 3), (ulong)n);
            n++;
        }

        return stream.ToArray();
    }
}
