using NfLua.Control;
using static NfLua.Daemon.Kernel.Tests.KernelEnvironment;

namespace NfLua.Daemon.Kernel.Tests;

/// <summary>Monitor mode on the kernel: the same rule monitoring one queue and enforcing another counts the same, and
/// the monitored queue passes every packet.</summary>
public sealed class MonitorModeKernelTests : IDisposable
{
    // Drops datagrams whose first payload byte is odd (IPv4, 20-byte header, then 8 bytes of UDP: bit 224).
    private const string OddDropper = "local L = data.layout{ b = {224, 8} }\nfunction filter(pkt) return pkt:layout(L).b % 2 == 0 end\n";

    private readonly List<string[]> _rules = [];

    public MonitorModeKernelTests() => Require();

    public void Dispose()
    {
        foreach (string[] rule in _rules)
        {
            Run("iptables", ["-w", "-D", .. rule]);
        }
    }

    [Fact]
    public async Task MonitoredQueue_PassesEveryPacket_CountingExactlyWhatTheEnforcingQueueDoes_ThenEnforceApplies()
    {
        Queue(62, "16062");
        Queue(63, "16063");
        using var daemon = DaemonProcess.Start(
            "queue { 62, rule { \"watch\", script = \"odd.lua\", mode = \"monitor\" } }\nqueue { 63, rule { \"guard\", script = \"odd.lua\" } }",
            new Dictionary<string, string> { ["odd.lua"] = OddDropper });
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(15)), daemon.StdErr);
        var datagrams = Enumerable.Range(0, 100).Select(i => new byte[] { (byte)i, 1, 2, 3 }).ToList();

        List<byte[]> monitored = Traffic.DatagramsReceived(16062, datagrams, TimeSpan.FromMilliseconds(700));
        List<byte[]> enforced = Traffic.DatagramsReceived(16063, datagrams, TimeSpan.FromMilliseconds(700));

        Assert.Equal(100, monitored.Count);
        Assert.Equal(50, enforced.Count);
        Assert.All(enforced, d => Assert.Equal(0, d[0] % 2));
        var stats = (StatsResult)(await daemon.ControlAsync(new StatsRequest())).Result!;
        RuleStats watch = stats.Rules.Single(r => r.Name == "watch");
        RuleStats guard = stats.Rules.Single(r => r.Name == "guard");
        Assert.Equal((100L, 50L, 50L), (watch.Calls, watch.Passed, watch.Dropped));
        Assert.Equal((watch.Calls, watch.Passed, watch.Dropped), (guard.Calls, guard.Passed, guard.Dropped));
        Assert.Equal(0, stats.Queues.Single(q => q.Queue == 62).Dropped);

        ControlResponse enforce = await daemon.ControlAsync(new ModeRequest("watch", Monitor: false));
        Assert.True(enforce.IsOk, enforce.Error?.Message);
        Assert.Equal(50, Traffic.DatagramsReceived(16062, datagrams, TimeSpan.FromMilliseconds(700)).Count);
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }

    private void Queue(ushort queue, string port)
    {
        string[] rule = ["OUTPUT", "-o", "lo", "-p", "udp", "--dport", port, "-j", "NFQUEUE", "--queue-num", queue.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        Iptables(["-A", .. rule]);
        _rules.Add(rule);
    }
}
