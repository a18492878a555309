using NfLua.Packets.Capture;

namespace NfLua.Packets.Tests.Capture;

/// <summary>Whatever the bytes, the reader either reads records or throws <see cref="CaptureFormatException"/>.</summary>
public sealed class CaptureRobustnessTests
{
    private static readonly byte[][] s_validFiles =
    [
        CaptureFiles.Pcap(CaptureLinkType.Ethernet, w => { w.WritePacket(CaptureFiles.IPv4); w.WritePacket(CaptureFiles.IPv6); }),
        CaptureFiles.Pcap(CaptureLinkType.LinuxSll2, w => w.WritePacket(CaptureFiles.IPv6), nanoseconds: true, bigEndian: true),
        CaptureFiles.PcapNg(w =>
        {
            int sll = w.AddInterface(CaptureLinkType.LinuxSll, 100, 9);
            int ethernet = w.AddInterface(CaptureLinkType.Ethernet);
            w.WritePacket(sll, CaptureFiles.IPv4, 7);
            w.WriteSimplePacket(CaptureFiles.Ethernet([0x8100, 1, 0x0800], CaptureFiles.IPv4));
            w.WritePacket(ethernet, CaptureFiles.IPv6);
        }),
        CaptureFiles.PcapNg(w => w.WritePacket(w.AddInterface(CaptureLinkType.Raw, timestampResolution: 0xBF), CaptureFiles.IPv4, ulong.MaxValue), bigEndian: true),
    ];

    /// <summary>Reads everything; true when the file was accepted, false when refused with the documented exception.</summary>
    private static bool ReadsOrRefuses(byte[] bytes)
    {
        try
        {
            int packets = 0;
            foreach (CaptureRecord record in CaptureReader.Open(bytes, "fuzz").ReadRecords())
            {
                packets += record.IsSkipped ? 0 : record.Packet.Length > 0 ? 1 : throw new InvalidOperationException("empty packet");
            }

            return packets >= 0;
        }
        catch (CaptureFormatException)
        {
            return false;
        }
    }

    [Fact]
    public void ReadRecords_HundredThousandRandomOrMutatedInputs_OnlyCaptureFormatException()
    {
        var random = new Random(20261126);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 100_000; i++)
        {
            byte[] input;
            if (i % 3 == 0)
            {
                input = new byte[random.Next(0, 200)];
                random.NextBytes(input);
                if (input.Length >= 4 && random.Next(2) == 0)
                {
                    // Keep a valid magic so the random part reaches the record and block parsers.
                    s_validFiles[random.Next(s_validFiles.Length)].AsSpan(0, 4).CopyTo(input);
                }
            }
            else
            {
                input = (byte[])s_validFiles[random.Next(s_validFiles.Length)].Clone();
                for (int flips = random.Next(1, 6); flips > 0; flips--)
                {
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                }

                if (random.Next(4) == 0)
                {
                    input = input[..random.Next(input.Length)];
                }
            }

            if (ReadsOrRefuses(input))
            {
                accepted++;
            }
            else
            {
                refused++;
            }
        }

        Assert.Equal(100_000, accepted + refused);
        Assert.InRange(accepted, 1_000, 99_000); // both paths were really exercised
    }

    [Fact]
    public void ReadRecords_ValidFileCutAtEveryLength_RefusedUnlessCutBetweenRecords()
    {
        foreach (byte[] file in s_validFiles)
        {
            var accepted = new List<int>();
            for (int length = 0; length < file.Length; length++)
            {
                if (ReadsOrRefuses(file[..length]))
                {
                    accepted.Add(length);
                }
            }

            // Only cuts that fall exactly between headers, records or blocks leave a valid (shorter) capture.
            Assert.InRange(accepted.Count, 1, 6);
            Assert.All(accepted, length => Assert.True(length >= 24, $"a {length}-byte prefix was accepted"));
            Assert.True(ReadsOrRefuses(file));
        }
    }
}
