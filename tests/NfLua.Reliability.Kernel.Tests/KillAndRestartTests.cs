using System.Diagnostics;
using NfLua.Control;
using NfLua.Daemon.Kernel.Tests;
using static NfLua.Reliability.Kernel.Tests.Probes;

namespace NfLua.Reliability.Kernel.Tests;

/// <summary>
/// kill -9 of nfluad under load: a fail-open queue (iptables --queue-bypass) lets traffic go on, a fail-closed one
/// stops it; a new nfluad then binds again and filters within 2 s of its start (the issue's bound).
/// </summary>
public sealed class KillAndRestartTests : IDisposable
{
    private static readonly TimeSpan s_ready = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_restartBound = TimeSpan.FromSeconds(2);
    private const string Pass = "function filter(pkt) return true end";
    private const string Drop = "function filter(pkt) return false end";
    private readonly Firewall _firewall = new();

    public KillAndRestartTests() => KernelEnvironment.Require();

    public void Dispose() => _firewall.Dispose();

    [Fact]
    public async Task Kill9_FailOpenQueue_TrafficGoesOn_ThenARestartFiltersWithin2s()
    {
        const int port = 17050;
        _firewall.QueueUdp(50, port, bypass: true);
        using (DaemonProcess first = StartWith(50, failOpen: true, Pass))
        using (var load = new ClosedLoopLoad(port, window: 16))
        {
            Assert.True(WaitUntil(() => load.Received > 500, TimeSpan.FromSeconds(10)), "no load through nfluad");
            first.Signal("KILL");
            Assert.True(first.WaitForExit(TimeSpan.FromSeconds(10)));

            long afterKill = load.ReceivedDuring(TimeSpan.FromSeconds(1));
            Assert.True(afterKill > 100, $"only {afterKill} datagrams in the second after the kill: --queue-bypass should let traffic go on");
            Figure("kill9.fail-open.datagrams-in-the-second-after-the-kill", afterKill.ToString(System.Globalization.CultureInfo.InvariantCulture));
            load.Stop(TimeSpan.FromSeconds(1));
        }

        // Unbound, the bypassed queue accepts: the first datagram that does not arrive is the new daemon's drop rule.
        using var probe = new UdpProbe(port);
        Assert.True(probe.Passes(TimeSpan.FromSeconds(1)));
        var clock = Stopwatch.StartNew();
        // on_error drop: a first call slowed past the time limit by a cold start would otherwise accept its probe late
        // (the queue's failure verdict is fail-open), which the probe would count as dropped.
        using DaemonProcess second = StartWith(50, failOpen: true, Drop, onError: "drop");
        TimeSpan filtering = TimeUntil(() => !probe.Passes(TimeSpan.FromMilliseconds(50)) && !probe.Passes(TimeSpan.FromMilliseconds(50)), clock);
        Figure("kill9.fail-open.restart-to-filtering-ms", filtering.TotalMilliseconds.ToString("F0", System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(second.WaitForNotification("READY=1", s_ready), second.StdErr);
        // Every probe lost must be the new daemon's drop: a probe its Send gave up on may still arrive late (a
        // loaded machine, before the bind), so count the ones that never came. The rule's verdicts may lag the
        // probes that gave up on them (a cold first batch), so wait for them.
        long lost = probe.Lost(TimeSpan.FromMilliseconds(500));
        QueueStats stats = await QueueStatsAsync(second, 50);
        for (var wait = Stopwatch.StartNew(); stats.Dropped < lost && wait.Elapsed < TimeSpan.FromSeconds(10); await Task.Delay(50, TestContext.Current.CancellationToken))
        {
            stats = await QueueStatsAsync(second, 50);
        }

        Figure("kill9.fail-open.lost-probes-and-rule-drops", $"{lost} lost, {stats.Dropped} dropped by the rule, {stats.Packets} packets, undelivered {stats.Undelivered}, kernel waiting {stats.Kernel?.Waiting} last id {stats.Kernel?.LastPacketId} queue_dropped {stats.Kernel?.QueueDropped} user_dropped {stats.Kernel?.UserDropped}");
        Assert.True(lost >= 1);
        Assert.Equal(lost, stats.Dropped);
        Assert.True(filtering < s_restartBound, $"the restarted nfluad filtered {filtering.TotalMilliseconds:F0} ms after its start (bound {s_restartBound.TotalMilliseconds} ms)");
        Assert.Equal(0, second.Stop(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task Kill9_FailClosedQueue_TrafficStops_ThenARestartFiltersWithin2s()
    {
        const int port = 17051;
        _firewall.QueueUdp(51, port);
        using (DaemonProcess first = StartWith(51, failOpen: false, Pass))
        using (var load = new ClosedLoopLoad(port, window: 16))
        {
            Assert.True(WaitUntil(() => load.Received > 500, TimeSpan.FromSeconds(10)), "no load through nfluad");
            first.Signal("KILL");
            Assert.True(first.WaitForExit(TimeSpan.FromSeconds(10)));
            Thread.Sleep(100); // datagrams already delivered before the kill may still be read
            long afterKill = load.ReceivedDuring(TimeSpan.FromSeconds(1));
            Assert.Equal(0, afterKill);
            load.Stop(TimeSpan.FromMilliseconds(200));
        }

        // Unbound and fail-closed, nothing passes; the first datagram that arrives was accepted by the new daemon's rule.
        using var probe = new UdpProbe(port);
        Assert.False(probe.Passes(TimeSpan.FromMilliseconds(300)));
        var clock = Stopwatch.StartNew();
        using DaemonProcess second = StartWith(51, failOpen: false, Pass);
        TimeSpan filtering = TimeUntil(() => probe.Passes(TimeSpan.FromMilliseconds(50)), clock);
        Figure("kill9.fail-closed.restart-to-filtering-ms", filtering.TotalMilliseconds.ToString("F0", System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(second.WaitForNotification("READY=1", s_ready), second.StdErr);
        Assert.True((await QueueStatsAsync(second, 51)).Accepted >= 1);
        Assert.True(filtering < s_restartBound, $"the restarted nfluad filtered {filtering.TotalMilliseconds:F0} ms after its start (bound {s_restartBound.TotalMilliseconds} ms)");
        Assert.Equal(0, second.Stop(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task Kill9UnderLoad_TheRulesLoadedWithNfluaCtl_FilterAgainWithin2sOfTheRestart_WithTheirOwnVerdicts()
    {
        const int dropPort = 17052, passPort = 17053;
        _firewall.QueueUdp(52, dropPort, bypass: true); // unbound, it accepts: a datagram that does not arrive is the rule's drop
        _firewall.QueueUdp(53, passPort);                // unbound, it drops: a datagram that arrives is the rule's accept
        const string config = "queue { 52, fail_open = true }"; // queue 53 is bound only for the rule loaded onto it
        string state = Directory.CreateTempSubdirectory("nfluad-state-").FullName;
        try
        {
            using (DaemonProcess first = DaemonProcess.Start(config, null, new Dictionary<string, string>(), "--state-dir", state))
            {
                Assert.True(first.WaitForNotification("READY=1", s_ready), first.StdErr);
                await LoadAsync(first, "dropper", Drop, 52, RuleFailureVerdict.Drop);
                await LoadAsync(first, "passer", Pass, 53);
                using var load = new ClosedLoopLoad(passPort, window: 16);
                Assert.True(WaitUntil(() => load.Received > 500, TimeSpan.FromSeconds(10)), "no load through nfluad");
                first.Signal("KILL");
                Assert.True(first.WaitForExit(TimeSpan.FromSeconds(10)));
                load.Stop(TimeSpan.FromMilliseconds(200));
            }

            using var dropProbe = new UdpProbe(dropPort);
            using var passProbe = new UdpProbe(passPort);
            Assert.True(dropProbe.Passes(TimeSpan.FromSeconds(1)));
            Assert.False(passProbe.Passes(TimeSpan.FromMilliseconds(300)));
            var clock = Stopwatch.StartNew();
            using DaemonProcess second = DaemonProcess.Start(config, null, new Dictionary<string, string>(), "--state-dir", state);
            TimeSpan passing = TimeUntil(() => passProbe.Passes(TimeSpan.FromMilliseconds(50)), clock);
            TimeSpan dropping = TimeUntil(() => !dropProbe.Passes(TimeSpan.FromMilliseconds(50)) && !dropProbe.Passes(TimeSpan.FromMilliseconds(50)), clock);
            Figure("kill9.restored-rules.restart-to-filtering-ms", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"accept {passing.TotalMilliseconds:F0}, drop {dropping.TotalMilliseconds:F0}"));
            Assert.True(second.WaitForNotification("READY=1", s_ready), second.StdErr);

            // Every probe lost on queue 52 is the restored rule's drop, and queue 53's arrivals its accepts.
            long lost = dropProbe.Lost(TimeSpan.FromMilliseconds(500));
            StatsResult stats = await StatsAsync(second);
            for (var wait = Stopwatch.StartNew(); stats.Rules.Single(r => r.Name == "dropper").Dropped < lost && wait.Elapsed < TimeSpan.FromSeconds(10); await Task.Delay(50, TestContext.Current.CancellationToken))
            {
                stats = await StatsAsync(second);
            }

            Assert.True(lost >= 2);
            Assert.Equal(lost, stats.Rules.Single(r => r.Name == "dropper").Dropped);
            Assert.True(stats.Rules.Single(r => r.Name == "passer").Passed >= 1);
            Assert.True(passing < s_restartBound, $"the restored accept rule passed traffic {passing.TotalMilliseconds:F0} ms after the start (bound {s_restartBound.TotalMilliseconds} ms)");
            Assert.True(dropping < s_restartBound, $"the restored drop rule dropped traffic {dropping.TotalMilliseconds:F0} ms after the start (bound {s_restartBound.TotalMilliseconds} ms)");
            Assert.Equal(0, second.Stop(TimeSpan.FromSeconds(20)));
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    private static DaemonProcess StartWith(ushort queue, bool failOpen, string script, string onError = "accept")
    {
        DaemonProcess daemon = DaemonProcess.Start(
            $"queue {{ {queue}, fail_open = {(failOpen ? "true" : "false")}, rule {{ \"r\", script = \"r.lua\", on_error = \"{onError}\" }} }}",
            new Dictionary<string, string> { ["r.lua"] = script });
        return daemon;
    }

    /// <summary>Polls <paramref name="condition"/> (for up to 20 s) and returns the clock's reading when it first held.</summary>
    private static TimeSpan TimeUntil(Func<bool> condition, Stopwatch clock)
    {
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            TimeSpan before = clock.Elapsed;
            if (condition())
            {
                return before;
            }
        }

        Assert.Fail("the restarted nfluad never filtered");
        return clock.Elapsed;
    }
}
