using System.Runtime.InteropServices;
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

    /// <summary>
    /// Reads everything; true when the file was accepted, false when refused with the documented exception (whose message
    /// names the capture). What is accepted must make sense: records numbered 1, 2, 3...; a skipped record carries no
    /// packet; every packet is a non-empty IPv4 or IPv6 packet read in place from the file's own bytes.
    /// </summary>
    private static bool ReadsOrRefuses(byte[] bytes)
    {
        try
        {
            int index = 0;
            foreach (CaptureRecord record in CaptureReader.Open(bytes, "fuzz").ReadRecords())
            {
                Assert.Equal(++index, record.Index);
                if (record.IsSkipped)
                {
                    Assert.True(record.Packet.IsEmpty, $"record {index} is skipped ({record.SkipReason}) yet has a packet");
                    continue;
                }

                Assert.False(record.Packet.IsEmpty, $"record {index}: an empty packet");
                Assert.True(record.Packet.Span[0] >> 4 is 4 or 6, $"record {index}: a packet that is not IP");
                Assert.True(
                    MemoryMarshal.TryGetArray(record.Packet, out ArraySegment<byte> slice) && ReferenceEquals(slice.Array, bytes),
                    $"record {index}: the packet is not the file's own bytes");
            }

            return true;
        }
        catch (CaptureFormatException ex)
        {
            Assert.StartsWith("fuzz: ", ex.Message, StringComparison.Ordinal);
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
    public void ReadRecords_ValidFileCutAtEveryLength_ReadsTheCompleteRecordsAndSaysWhereItIsCut()
    {
        foreach (byte[] file in s_validFiles)
        {
            int fileHeader = BitConverter.ToUInt32(file) == 0x0A0D0D0A ? 28 : 24;
            int[] whole = [.. CaptureReader.Open(file, "whole").ReadRecords().Select(r => r.Index)];
            var clean = new List<int>();
            for (int length = 0; length < file.Length; length++)
            {
                bool read = ReadsOrRefuses(file[..length]);
                Assert.Equal(length >= fileHeader, read);
                if (!read)
                {
                    continue;
                }

                // A cut loses the record it falls in, and nothing before it.
                CaptureReader reader = CaptureReader.Open(file.AsMemory(..length), "cut");
                int[] indexes = [.. reader.ReadRecords().Select(r => r.Index)];
                Assert.Equal(whole[..indexes.Length], indexes);
                if (reader.CutShort is null)
                {
                    clean.Add(length);
                }
            }

            // Only cuts that fall exactly between headers, records or blocks leave a capture that is not cut short.
            Assert.InRange(clean.Count, 1, 6);
            Assert.True(ReadsOrRefuses(file));
        }
    }
}
