using System.Diagnostics;
using System.Globalization;
using NfLua.Control;
using NfLua.Daemon.Kernel.Tests;
using static NfLua.Reliability.Kernel.Tests.Probes;

namespace NfLua.Reliability.Kernel.Tests;

/// <summary>
/// Closed-loop load for a while (NFLUA_SOAK_SECONDS, 120 by default; scripts/soak runs 10 minutes) with the accept
/// rule replaced every second and hostile rules loaded and unloaded on another queue now and then: no accepted
/// packet lost, none left queued, resident memory grown less than 10% after warm-up (the bound).
/// </summary>
public sealed class SoakTests : IDisposable
{
    private const ushort Queue = 66;
    private const ushort HostileQueue = 67;
    private const int Port = 17066;
    private const int HostilePort = 17067;
    private static readonly TimeSpan s_rssWindow = TimeSpan.FromSeconds(15);
    private readonly Firewall _firewall = new();

    public SoakTests() => KernelEnvironment.Require();

    public void Dispose() => _firewall.Dispose();

    [Fact]
    public async Task Soak_ReplacingRulesEverySecondWithHostileRulesAround_LosesNothingAndKeepsMemoryBounded()
    {
        TimeSpan duration = TimeSpan.FromSeconds(int.Parse(Environment.GetEnvironmentVariable("NFLUA_SOAK_SECONDS") ?? "120", CultureInfo.InvariantCulture));
        // Warm-up: nfluad's first minute under load touches its code and fills its GC heap and malloc arenas to
        // their working size (35 -> 70 MiB); growth is measured from there.
        TimeSpan warmUp = TimeSpan.FromSeconds(Math.Max(60, duration.TotalSeconds / 6));
        Assert.True(duration >= warmUp * 2, "NFLUA_SOAK_SECONDS is too short to measure memory after a warm-up");
        _firewall.QueueUdp(Queue, Port);
        _firewall.QueueUdp(HostileQueue, HostilePort);
        using var daemon = DaemonProcess.Start($"queue {{ {Queue}, maxlen = 4096 }}\nqueue {{ {HostileQueue} }}\n");
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(30)), daemon.StdErr);
        int pid = await PidAsync(daemon);
        await LoadAsync(daemon, "soak", Accepting(0), Queue);

        using var load = new ClosedLoopLoad(Port, window: 32);
        using var hostileProbe = new UdpProbe(HostilePort);
        long rssMax = 0, replacements = 0, hostileLoads = 0, hostilePackets = 0;

        async Task HostileRoundAsync(string body)
        {
            await LoadAsync(daemon, "hostile", $"function filter(pkt) {body} end", HostileQueue, RuleFailureVerdict.Accept);
            for (int i = 0; i < 3; i++)
            {
                Assert.True(hostileProbe.Passes(TimeSpan.FromSeconds(5)), "a hostile packet got no on-error verdict");
                hostilePackets++;
            }

            await UnloadAsync(daemon, "hostile");
        }

        // Part of the warm-up: every hostile rule once, so that the code each kind of failure runs (error paths,
        // limit stops, events) is loaded and touched before memory is measured; otherwise each new kind the
        // measured phase meets for the first time adds its code pages to the figure, which is warm-up, not growth.
        foreach (var (_, body) in HostileCatalogue.Rules)
        {
            await HostileRoundAsync(body);
        }

        var clock = Stopwatch.StartNew();
        var rssSamples = new List<(TimeSpan At, long KiB)>();
        while (clock.Elapsed < duration)
        {
            var second = Stopwatch.StartNew();
            replacements++;
            await LoadAsync(daemon, "soak", Accepting(replacements), Queue);
            if (replacements % 7 == 0)
            {
                // Now and then, a hostile rule on the other queue: a few packets hit it, then it goes.
                var (_, body) = HostileCatalogue.Rules[(int)(hostileLoads++ % HostileCatalogue.Rules.Count)];
                await HostileRoundAsync(body);
            }

            long rss = RssKiB(pid);
            rssSamples.Add((clock.Elapsed, rss));
            rssMax = Math.Max(rssMax, rss);
            Assert.False(daemon.HasExited, daemon.StdErr);
            if (second.Elapsed < TimeSpan.FromSeconds(1))
            {
                Thread.Sleep(TimeSpan.FromSeconds(1) - second.Elapsed);
            }
        }

        // Resident memory as the median of a 15 s window (one sample a second) right after the warm-up and at the
        // end: a single reading may catch a hostile rule's state (up to 8 MiB) between its unload and its disposal.
        long rssAfterWarmUp = MedianKiB(rssSamples.Where(s => s.At >= warmUp && s.At < warmUp + s_rssWindow));
        long rssEnd = MedianKiB(rssSamples.Where(s => s.At >= clock.Elapsed - s_rssWindow));
        long lost = load.Stop(TimeSpan.FromSeconds(5));
        int? waiting = KernelEnvironment.Waiting(Queue);
        QueueStats stats = await QueueStatsAsync(daemon, Queue);
        double growth = (double)(rssEnd - rssAfterWarmUp) / rssAfterWarmUp;
        Figure("soak.duration-s", duration.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture));
        Figure("soak.traffic", $"{load.Sent} sent, {load.Received} received, {lost} lost, {load.Received / duration.TotalSeconds:F0} datagrams/s; kernel waiting {waiting}, queue_dropped {stats.Kernel?.QueueDropped}, user_dropped {stats.Kernel?.UserDropped}, undelivered {stats.Undelivered}");
        Figure("soak.changes", $"{replacements} rule replacements, {hostileLoads} hostile loads after one of each of the {HostileCatalogue.Rules.Count} kinds, {hostilePackets} hostile packets in all");
        Figure("soak.rss", $"{rssAfterWarmUp / 1024.0:F1} MiB after {warmUp.TotalSeconds:F0} s warm-up, {rssEnd / 1024.0:F1} MiB at the end ({growth:+0.0%;-0.0%}; medians over {s_rssWindow.TotalSeconds:F0} s), peak {rssMax / 1024.0:F1} MiB");
        Figure("soak.rss-every-10s", string.Join(" ", rssSamples.Where((_, i) => i % 10 == 0).Select(s => (s.KiB / 1024.0).ToString("F1", CultureInfo.InvariantCulture))));
        Assert.Equal(0, lost);
        Assert.Equal(0, waiting);
        Assert.Equal(load.Sent, stats.Accepted);
        Assert.True(growth < 0.10, $"resident memory grew {growth:P1} after warm-up ({rssAfterWarmUp} -> {rssEnd} KiB)");
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }

    private static long MedianKiB(IEnumerable<(TimeSpan At, long KiB)> samples)
    {
        long[] sorted = [.. samples.Select(s => s.KiB).Order()];
        Assert.NotEmpty(sorted);
        return sorted[sorted.Length / 2];
    }

    /// <summary>Accept rules that differ each time, so every replacement compiles and publishes a new state.</summary>
    private static string Accepting(long version) =>
        $"local version = {version}\nfunction filter(pkt) local n = 0 for i = 1, {10 + version % 20} do n = n + i end return n > 0 end";
}
