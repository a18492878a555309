using NfLua.Examples.Tests.Packets;
using NfLua.Packets.Capture;
using static NfLua.Examples.Tests.ExampleCase;

namespace NfLua.Examples.Tests;

/// <summary>The capture times of cases, as <see cref="NfluaCtl.WriteCapture"/> writes them.</summary>
public sealed class CaseTimeTests
{
    private static byte[] Syn(ushort port) => IpPacket.Syn("198.51.100.1", 40000, "192.0.2.22", port);

    [Fact]
    public void TimedCases_AreAtTheirOffset_OthersAMillisecondAfterThePacketBefore()
    {
        ExampleCase first = Pass("untimed", Syn(1));
        ExampleCase[] cases = [first, Pass("timed", Syn(2)).At(5000), Pass("untimed", Syn(3)), first.At(9000), first];
        using var directory = new TempDirectory();
        string capture = NfluaCtl.WriteCapture(directory.File("times.pcap"), cases);

        long[] times = [.. CaptureReader.OpenFile(capture).ReadRecords().Select(r => r.TimestampNanoseconds / 1_000_000)];
        Assert.Equal([0L, 5000, 5001, 9000, 9001], times.Select(t => t - times[0]));
    }

    [Fact]
    public void ACaseEarlierThanThePacketBefore_IsRefused()
    {
        using var directory = new TempDirectory();
        ExampleCase[] cases = [Pass("late", Syn(1)).At(2000), Pass("early", Syn(2)).At(1999)];
        ArgumentException error = Assert.Throws<ArgumentException>(() => NfluaCtl.WriteCapture(directory.File("back.pcap"), cases));
        Assert.Contains("packet #2 is at 1999 ms, before the packet before it (2000 ms)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANegativeTime_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Pass("before the capture", Syn(1)).At(-1));
}
