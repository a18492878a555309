using System.Globalization;
using NfLua.Control;
using NfLua.Daemon.Kernel.Tests;
using static NfLua.Reliability.Kernel.Tests.Probes;

namespace NfLua.Reliability.Kernel.Tests;

/// <summary>
/// Bursts nfluad cannot keep up with: a full queue (small maxlen) and a full receive buffer (small rcvbuf). What
/// the kernel drops is counted and shown by <c>nflua-ctl stats</c>; with fail_open it is accepted instead; nfluad
/// stays up and keeps filtering.
/// </summary>
public sealed class OverflowTests : IDisposable
{
    // About 150k instructions, ~1 ms: well within the limits, slow enough for a burst to outrun it.
    private const string Slow = "function filter(pkt) local n = 0 for i = 1, 50000 do n = n + i end return n > 0 end";
    private const int BurstSize = 3000;
    private readonly Firewall _firewall = new();

    public OverflowTests() => KernelEnvironment.Require();

    public void Dispose() => _firewall.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task QueueOverflow_IsCountedAndNeverFatal(bool failOpen)
    {
        ushort queue = (ushort)(failOpen ? 53 : 52);
        int port = 17000 + queue;
        _firewall.QueueUdp(queue, port);
        using DaemonProcess daemon = Start(queue, $"maxlen = 8, fail_open = {Lua(failOpen)}");

        int received = Burst.Send(port, BurstSize, TimeSpan.FromSeconds(2));

        QueueStats stats = await QueueStatsAsync(daemon, queue);
        long overflowed = BurstSize - stats.Packets;
        Figure($"queue-overflow.{(failOpen ? "fail-open" : "fail-closed")}", $"{BurstSize} sent, {stats.Packets} judged by nfluad, {overflowed} overflowed, {received} arrived; kernel queue_dropped {stats.Kernel!.QueueDropped}");
        Assert.True(overflowed > 0, "the burst never overflowed the queue");
        Assert.Equal(stats.Packets, stats.Accepted);
        if (failOpen)
        {
            // The kernel accepts what does not fit, and counts it nowhere: the gap is between traffic and nfluad's count.
            Assert.Equal(BurstSize, received);
            Assert.Equal(0, stats.Kernel.QueueDropped);
        }
        else
        {
            Assert.Equal(stats.Accepted, received);
            Assert.Equal(overflowed, stats.Kernel.QueueDropped);
            var text = Ctl(daemon, "stats");
            Assert.True(text.ExitCode == 0, text.StdErr);
            string row = text.StdOut.Split('\n').First(l => l.TrimStart().StartsWith(queue.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
            Assert.Contains(overflowed.ToString("N0", CultureInfo.InvariantCulture), row, StringComparison.Ordinal);
        }

        Assert.Equal(0, stats.Kernel.UserDropped);
        Assert.Equal(0, stats.Undelivered);
        await AssertStillFiltering(daemon, queue, port);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReceiveBufferOverflow_IsCountedAndNeverFatal(bool failOpen)
    {
        ushort queue = (ushort)(failOpen ? 55 : 54);
        int port = 17000 + queue;
        _firewall.QueueUdp(queue, port);
        // The smallest receive buffer the configuration allows (64 KiB; the kernel doubles it) holds ~150 queued
        // datagrams; the queue itself has room for the whole burst.
        using DaemonProcess daemon = Start(queue, $"maxlen = 8192, rcvbuf = 65536, fail_open = {Lua(failOpen)}");

        int received = Burst.Send(port, BurstSize, TimeSpan.FromSeconds(2));

        // nfluad sees a gap in the ids when the next packet arrives: the probe closes the burst's last gap, and shows
        // that filtering goes on.
        using (var probe = new UdpProbe(port))
        {
            Assert.True(probe.Passes(TimeSpan.FromSeconds(2)), "nothing passes after the overflow");
        }

        QueueStats stats = await QueueStatsAsync(daemon, queue);
        Figure($"rcvbuf-overflow.{(failOpen ? "fail-open" : "fail-closed")}", $"{BurstSize} sent, {stats.Packets - 1} judged by nfluad, {stats.Undelivered} undelivered (nfluad's count), {received} arrived; kernel user_dropped {stats.Kernel!.UserDropped}");
        Assert.True(stats.Undelivered > 0, "the burst never overflowed the receive buffer");
        Assert.Equal(BurstSize + 1, stats.Packets + stats.Undelivered);
        Assert.Equal(0, stats.Kernel.QueueDropped);
        if (failOpen)
        {
            Assert.Equal(BurstSize, received);
            Assert.Equal(0, stats.Kernel.UserDropped);
        }
        else
        {
            Assert.Equal(stats.Packets - 1, received);
            Assert.Equal(stats.Undelivered, stats.Kernel.UserDropped);
        }

        var text = Ctl(daemon, "stats");
        Assert.True(text.ExitCode == 0, text.StdErr);
        string row = text.StdOut.Split('\n').First(l => l.TrimStart().StartsWith(queue.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.EndsWith(stats.Undelivered.ToString("N0", CultureInfo.InvariantCulture), row.TrimEnd(), StringComparison.Ordinal);
        await AssertStillFiltering(daemon, queue, port);
    }

    private static async Task AssertStillFiltering(DaemonProcess daemon, ushort queue, int port)
    {
        Assert.False(daemon.HasExited, daemon.StdErr);
        long before = (await QueueStatsAsync(daemon, queue)).Packets;
        using (var probe = new UdpProbe(port))
        {
            Assert.True(probe.Passes(TimeSpan.FromSeconds(2)), "nothing passes after the overflow");
        }

        Assert.Equal(before + 1, (await QueueStatsAsync(daemon, queue)).Packets);
        Assert.Equal(0, KernelEnvironment.Waiting(queue));
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }

    private static DaemonProcess Start(ushort queue, string settings)
    {
        var daemon = DaemonProcess.Start($"queue {{ {queue}, {settings}, rule {{ \"slow\", script = \"slow.lua\" }} }}", new Dictionary<string, string> { ["slow.lua"] = Slow });
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(30)), daemon.StdErr);
        return daemon;
    }

    private static string Lua(bool value) => value ? "true" : "false";
}
