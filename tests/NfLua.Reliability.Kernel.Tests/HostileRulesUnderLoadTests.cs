using System.Globalization;
using System.Text;
using NfLua.Control;
using NfLua.Daemon.Kernel.Tests;
using static NfLua.Reliability.Kernel.Tests.Probes;

namespace NfLua.Reliability.Kernel.Tests;

/// <summary>
/// Hostile rules loaded live onto queue 60 while queue 61 carries an accept-all rule under closed-loop load: each
/// hostile packet gets the on-error verdict within 100 ms, nfluad survives, queue 61 loses nothing, and 100 hostile
/// loads and unloads leave nfluad's memory bounded.
/// </summary>
public sealed class HostileRulesUnderLoadTests : IDisposable
{
    private const ushort Hostile = 60;
    private const ushort Bystander = 61;
    private const int HostilePort = 17060;
    private const int BystanderPort = 17061;
    private static readonly TimeSpan s_onErrorBound = TimeSpan.FromMilliseconds(100);
    private readonly Firewall _firewall = new();

    public HostileRulesUnderLoadTests() => KernelEnvironment.Require();

    public void Dispose() => _firewall.Dispose();

    [Fact]
    public async Task EveryHostileRule_GetsTheOnErrorVerdictWithin100ms_AndTheOtherQueueLosesNothing()
    {
        using DaemonProcess daemon = Start();
        using var load = new ClosedLoopLoad(BystanderPort, window: 16);
        using var probe = new UdpProbe(HostilePort);
        var problems = new StringBuilder();
        var latencies = new List<double>();

        foreach (var (name, body) in HostileCatalogue.Rules)
        {
            // on_error accept: the packet arrives, so its trip time is the time to the on-error verdict.
            await LoadAsync(daemon, "hostile", $"function filter(pkt) {body} end", Hostile, RuleFailureVerdict.Accept);
            double worst = 0;
            for (int i = 0; i < 3; i++)
            {
                TimeSpan? trip = probe.Send(TimeSpan.FromSeconds(5));
                if (trip is null)
                {
                    problems.AppendLine(CultureInfo.InvariantCulture, $"{name}: packet {i} got no accepting verdict within 5 s");
                    continue;
                }

                latencies.Add(trip.Value.TotalMilliseconds);
                worst = Math.Max(worst, trip.Value.TotalMilliseconds);
                if (trip.Value >= s_onErrorBound)
                {
                    problems.AppendLine(CultureInfo.InvariantCulture, $"{name}: packet {i} took {trip.Value.TotalMilliseconds:F1} ms");
                }
            }

            RuleStats rule = (await StatsAsync(daemon)).Rules.Single(r => r.Name == "hostile");
            if (rule.Calls != 3 || rule.Errors + rule.LimitsExceeded != 3)
            {
                problems.AppendLine(CultureInfo.InvariantCulture, $"{name}: {rule.Calls} calls, {rule.Errors} errors, {rule.LimitsExceeded} limit hits (every call should fail)");
            }

            Figure($"hostile.{name}", $"worst on-error trip {worst:F1} ms, {rule.Errors} errors, {rule.LimitsExceeded} limit hits");
            Assert.False(daemon.HasExited, $"{name} killed nfluad: {daemon.StdErr}");
        }

        long lost = load.Stop(TimeSpan.FromSeconds(3));
        latencies.Sort();
        Figure("hostile.rules-tried", HostileCatalogue.Rules.Count.ToString(CultureInfo.InvariantCulture));
        Figure("hostile.on-error-trip-ms", $"median {latencies[latencies.Count / 2]:F1}, p95 {latencies[latencies.Count * 95 / 100]:F1}, max {latencies[^1]:F1} over {latencies.Count} packets");
        Figure("hostile.bystander-queue", $"{load.Received} accepted datagrams, {lost} lost");
        Assert.True(problems.Length == 0, problems.ToString());
        Assert.Equal(0, lost);
        Assert.Equal(0, KernelEnvironment.Waiting(Bystander));
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task OtherQueueThroughput_WithAndWithoutAHostileRuleRunning_SharingTheCpus()
    {
        using DaemonProcess daemon = Start();
        double ratio = await BystanderThroughputRatio(daemon, bystanderCpu: null, hostileCpu: null, "hostile.bystander-throughput-ratio.shared-cpus");
        // The issue asks for 90%. On a 2-core machine, sharing the CPUs, the hostile queue's worker takes one core
        // whole and the bystander's worker shares the other with the load generator and the kernel, so only a loose
        // bound holds here: the bystander keeps a fair share. With the queues on CPUs of their own (the next test)
        // the 90% holds.
        Assert.True(ratio > 0.25, $"the bystander queue fell to {ratio:P0} of its throughput");
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task OtherQueueThroughput_WithAndWithoutAHostileRuleRunning_OnCpusOfTheirOwn()
    {
        // Each queue's worker kept on a CPU of its own (queue { cpu = N }), and each queue's traffic sent from there
        // too: nothing nfluad shares between queues (locks, the GC, the control thread) may slow the bystander.
        IReadOnlyList<int> cpus = ThreadAffinity.Allowed();
        Assert.True(cpus.Count >= 2, $"this test needs two CPUs; the process may use {cpus.Count}");
        int bystanderCpu = cpus[^2], hostileCpu = cpus[^1];
        using DaemonProcess daemon = Start(bystanderCpu, hostileCpu);
        StatusResult status = await StatusAsync(daemon);
        Assert.Equal(bystanderCpu, status.Queues.Single(q => q.Queue == Bystander).Cpu);
        Assert.Equal(hostileCpu, status.Queues.Single(q => q.Queue == Hostile).Cpu);
        double ratio = await BystanderThroughputRatio(daemon, bystanderCpu, hostileCpu, "hostile.bystander-throughput-ratio.own-cpus");
        Assert.True(ratio >= 0.90, $"the bystander queue, on a CPU of its own, fell to {ratio:P0} of its throughput while a hostile rule ran on another");
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }

    /// <summary>
    /// The bystander queue's closed-loop throughput while a stream of hostile packets keeps a hostile rule burning
    /// its limits, over its throughput without: interleaved 1 s periods, so the machine's other work weighs on both.
    /// </summary>
    private static async Task<double> BystanderThroughputRatio(DaemonProcess daemon, int? bystanderCpu, int? hostileCpu, string figure)
    {
        await LoadAsync(daemon, "hostile", $"function filter(pkt) {HostileCatalogue.Rules[0].Script} end", Hostile, RuleFailureVerdict.Accept);
        using var load = new ClosedLoopLoad(BystanderPort, window: 16, bystanderCpu);
        Thread.Sleep(1000); // warm-up

        long quiet = 0, hostile = 0, hostilePackets = 0;
        for (int round = 0; round < 6; round++)
        {
            quiet += load.ReceivedDuring(TimeSpan.FromSeconds(1));
            using var stream = new HostileStream(HostilePort, hostileCpu);
            hostile += load.ReceivedDuring(TimeSpan.FromSeconds(1));
            hostilePackets += stream.Stop();
        }

        long lost = load.Stop(TimeSpan.FromSeconds(3));
        double ratio = (double)hostile / quiet;
        Figure(figure, $"{ratio:F2} ({hostile} vs {quiet} datagrams over 6 x 1 s; {hostilePackets} hostile packets judged meanwhile, each burning its 1,000,000-instruction budget)");
        Assert.Equal(0, lost);
        Assert.True(hostilePackets > 0);
        return ratio;
    }

    [Fact]
    public async Task HundredHostileLoadsAndUnloads_KeepMemoryBounded()
    {
        using DaemonProcess daemon = Start();
        int pid = await PidAsync(daemon);
        using var probe = new UdpProbe(HostilePort);
        long afterTen = 0;
        for (int cycle = 1; cycle <= 100; cycle++)
        {
            var (name, body) = HostileCatalogue.Rules[cycle % HostileCatalogue.Rules.Count];
            await LoadAsync(daemon, "hostile-" + cycle.ToString(CultureInfo.InvariantCulture), $"function filter(pkt) {body} end", Hostile, RuleFailureVerdict.Accept);
            Assert.True(probe.Passes(TimeSpan.FromSeconds(5)), $"cycle {cycle} ({name}): no on-error verdict");
            await UnloadAsync(daemon, "hostile-" + cycle.ToString(CultureInfo.InvariantCulture));
            if (cycle == 10)
            {
                afterTen = RssKiB(pid);
            }
        }

        long afterHundred = RssKiB(pid);
        Figure("hostile.rss-after-cycles", $"{afterTen / 1024.0:F1} MiB after 10 load/unload cycles, {afterHundred / 1024.0:F1} MiB after 100 ({(afterHundred - afterTen) / 1024.0:+0.0;-0.0} MiB)");
        // Every hostile rule may take its whole 8 MiB while it runs, and malloc and the GC keep some freed memory for
        // reuse; a leak of the states would instead grow by up to 8 MiB per cycle, 720 MiB over the last 90.
        Assert.True(afterHundred < afterTen + 32 * 1024, $"nfluad grew from {afterTen} KiB to {afterHundred} KiB over 90 hostile cycles");
        Assert.DoesNotContain((await StatsAsync(daemon)).Rules, r => r.Queue == Hostile);
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }

    private DaemonProcess Start(int? bystanderCpu = null, int? hostileCpu = null)
    {
        _firewall.QueueUdp(Hostile, HostilePort);
        _firewall.QueueUdp(Bystander, BystanderPort);
        var daemon = DaemonProcess.Start(
            $"queue {{ {Hostile}{CpuSetting(hostileCpu)} }}\nqueue {{ {Bystander}, maxlen = 4096{CpuSetting(bystanderCpu)}, rule {{ \"accept-all\", script = \"accept.lua\" }} }}\n",
            new Dictionary<string, string> { ["accept.lua"] = "function filter(pkt) return 'accept' end" });
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(30)), daemon.StdErr);
        return daemon;
    }

    private static string CpuSetting(int? cpu) => cpu is { } c ? $", cpu = {c}" : "";
}
