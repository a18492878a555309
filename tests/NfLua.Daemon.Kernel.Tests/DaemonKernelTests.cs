using static NfLua.Daemon.Kernel.Tests.KernelEnvironment;

namespace NfLua.Daemon.Kernel.Tests;

/// <summary>
/// nfluad with real NFQUEUE, iptables rules and traffic on loopback, in the private network
/// namespace scripts/test runs this tier in. Each test has its own queue and ports.
/// </summary>
public sealed class DaemonKernelTests : IDisposable
{
    private static readonly TimeSpan s_ready = TimeSpan.FromSeconds(15);
    private readonly List<string[]> _rules = [];

    public DaemonKernelTests() => Require();

    public void Dispose()
    {
        foreach (string[] rule in _rules)
        {
            Run("iptables", ["-w", "-D", .. rule]);
        }
    }

    [Fact]
    public void SshBannerRule_DropsTheVulnerableServerAndPassesThePatchedOne()
    {
        Queue(10, "OUTPUT", "-o", "lo", "-p", "tcp", "-m", "multiport", "--sports", "22010,22011");
        using var daemon = DaemonProcess.Start(
            $"queue {{ 10, rule {{ \"ssh\", script = \"{Path.Combine(Examples, "ssh-banner.lua")}\" }} }}");
        Assert.True(daemon.WaitForNotification("READY=1", s_ready), daemon.StdErr);

        Assert.Null(Traffic.BannerSeenByClient(22010, "SSH-2.0-OpenSSH_6.4\r\n", TimeSpan.FromSeconds(1)));
        Assert.Equal("SSH-2.0-OpenSSH_9.6\r\n", Traffic.BannerSeenByClient(22011, "SSH-2.0-OpenSSH_9.6\r\n", TimeSpan.FromSeconds(3)));

        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
        Assert.Contains("rule ssh:", daemon.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Logs_AreOneLinePerEntryWithATimestamp_WithoutTheHostsBoilerplate()
    {
        using var daemon = DaemonProcess.Start("queue { 61 }");
        Assert.True(daemon.WaitForNotification("READY=1", s_ready), daemon.StdErr);
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));

        string[] lines = daemon.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (trace|debug|info|warning|error|critical) \S", l));
        Assert.Contains(lines, l => l.EndsWith(" info queue 61 bound, fail-closed when the queue overflows", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith(" info nfluad stopped: every queue drained and unbound", StringComparison.Ordinal));
        foreach (string chatter in new[] { "Application started", "Press Ctrl+C", "Hosting environment", "Content root path", "Application is shutting down" })
        {
            Assert.DoesNotContain(chatter, daemon.StdErr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RtpRule_DropsH263AndPassesOtherPayloadTypes()
    {
        Queue(11, "OUTPUT", "-o", "lo", "-p", "udp", "--dport", "16011");
        using var daemon = DaemonProcess.Start(
            $"queue {{ 11, rule {{ \"rtp\", script = \"{Path.Combine(Examples, "rtp-h263.lua")}\" }} }}");
        Assert.True(daemon.WaitForNotification("READY=1", s_ready), daemon.StdErr);

        var sent = Enumerable.Range(0, 40).Select(i => Traffic.Rtp(i % 2 == 0 ? 34 : 0, i)).ToList();
        List<byte[]> received = Traffic.DatagramsReceived(16011, sent, TimeSpan.FromMilliseconds(700));

        Assert.Equal(20, received.Count);
        Assert.All(received, d => Assert.Equal(0, d[1] & 0x7F));
        daemon.Stop(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void Notify_ReadyAfterBindingAndStoppingOnSigterm()
    {
        using var daemon = DaemonProcess.Start("queue { 12 }");
        Assert.True(daemon.WaitForNotification("READY=1", s_ready), daemon.StdErr);
        Assert.NotNull(Waiting(12)); // bound before READY
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
        Assert.True(daemon.WaitForNotification("STOPPING=1", TimeSpan.FromSeconds(2)), string.Join(" | ", daemon.Notifications));
        Assert.Null(Waiting(12)); // unbound
    }

    [Fact]
    public void Notify_SendsWatchdogKeepAlivesWhenAskedFor()
    {
        // WatchdogSec=1s: a keep-alive every half second while every worker's heartbeat moves (idle workers beat every 200 ms).
        using var daemon = DaemonProcess.Start("queue { 22 }", null, new Dictionary<string, string> { ["WATCHDOG_USEC"] = "1000000" });
        Assert.True(daemon.WaitForNotification("READY=1", s_ready), daemon.StdErr);
        Thread.Sleep(2000);
        Assert.True(daemon.Notifications.Count(n => n.Contains("WATCHDOG=1", StringComparison.Ordinal)) >= 3, string.Join(" | ", daemon.Notifications));
        daemon.Stop(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void BadConfiguration_IsRefusedWithItsLine()
    {
        using var daemon = DaemonProcess.Start("queue { 13 }\nqueue { 14, maxlen = -5 }\n");
        Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(20)));
        Assert.Equal(1, daemon.ExitCode);
        Assert.Contains("nfluad.lua:2: maxlen must be an integer", daemon.StdErr, StringComparison.Ordinal);
        Assert.Null(Waiting(13));
    }

    [Fact]
    public void Reload_WithABadConfiguration_KeepsTheRunningRules()
    {
        Queue(15, "OUTPUT", "-o", "lo", "-p", "udp", "--dport", "16015");
        var scripts = new Dictionary<string, string> { ["drop.lua"] = "function filter(pkt) return false end" };
        using var daemon = DaemonProcess.Start("queue { 15, rule { \"drop\", script = \"drop.lua\" } }", scripts);
        Assert.True(daemon.WaitForNotification("READY=1", s_ready), daemon.StdErr);

        File.WriteAllText(daemon.ConfigPath, "queue { 15, rule { \"drop\", script = \"drop.lua\" }\n");   // broken
        daemon.Signal("HUP");
        Assert.True(WaitUntil(() => daemon.StdErr.Contains("reload refused", StringComparison.Ordinal)), daemon.StdErr);
        Assert.Contains("nfluad.lua:", daemon.StdErr, StringComparison.Ordinal);

        Assert.Empty(Traffic.DatagramsReceived(16015, [[1, 2, 3]], TimeSpan.FromMilliseconds(500)));
        daemon.Stop(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void Reload_WithChangedQueueSettings_AppliesTheRules_AndSaysTheSettingsWaitForARestart()
    {
        Queue(23, "OUTPUT", "-o", "lo", "-p", "udp", "--dport", "16023");
        var scripts = new Dictionary<string, string>
        {
            ["drop.lua"] = "function filter(pkt) return false end",
            ["accept.lua"] = "function filter(pkt) return true end",
        };
        using var daemon = DaemonProcess.Start("queue { 23, rule { \"r\", script = \"drop.lua\" } }", scripts);
        Assert.True(daemon.WaitForNotification("READY=1", s_ready), daemon.StdErr);

        File.WriteAllText(daemon.ConfigPath, "queue { 23, maxlen = 2048, cpu = 0, rule { \"r\", script = \"accept.lua\" } }");
        daemon.Signal("HUP");
        Assert.True(WaitUntil(() => Reloads(daemon) == 1), daemon.StdErr);

        Assert.Contains("queue 23: changed maxlen, cpu take effect at the next start", daemon.StdErr, StringComparison.Ordinal);
        Assert.Single(Traffic.DatagramsReceived(16023, [[1, 2, 3]], TimeSpan.FromSeconds(2)));
        daemon.Stop(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void TwentyReloadsUnderLoad_LoseNoPacketAndLeaveNoneQueued()
    {
        Queue(16, "OUTPUT", "-o", "lo", "-p", "udp", "--dport", "16016");
        var scripts = new Dictionary<string, string>
        {
            ["a.lua"] = "function filter(pkt) return true end",
            ["b.lua"] = "function filter(pkt) local n = 0 for i = 1, 50 do n = n + i end return n > 0 end",
        };
        using var daemon = DaemonProcess.Start("queue { 16, maxlen = 4096, rule { \"r\", script = \"a.lua\" } }", scripts);
        Assert.True(daemon.WaitForNotification("READY=1", s_ready), daemon.StdErr);

        var reloader = new Thread(() =>
        {
            for (int i = 0; i < 20; i++)
            {
                File.WriteAllText(daemon.ConfigPath, $"queue {{ 16, maxlen = 4096, rule {{ \"r\", script = \"{(i % 2 == 0 ? "b" : "a")}.lua\" }} }}");
                daemon.Signal("HUP");
                // Signals coalesce: like systemctl reload, wait for each reload before the next.
                WaitUntil(() => Reloads(daemon) == i + 1);
            }
        });
        reloader.Start();
        var datagrams = Enumerable.Range(0, 3000).Select(i => BitConverter.GetBytes(i)).ToList();
        List<byte[]> received = Traffic.DatagramsReceived(16016, datagrams, TimeSpan.FromMilliseconds(1500));
        reloader.Join();

        Assert.True(received.Count == 3000, $"{received.Count} of 3000 arrived; kernel: {File.ReadAllText("/proc/net/netfilter/nfnetlink_queue")}; nfluad said:\n{daemon.StdErr}");
        Assert.Equal(20, Reloads(daemon));
        Assert.Equal(0, Waiting(16));
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void SigtermUnderLoad_AnswersEveryQueuedPacketBeforeUnbinding()
    {
        // With --queue-bypass, packets that arrive once the queue is unbound are accepted; so the
        // only way to lose one is a packet left in the queue when nfluad unbinds it.
        QueueWith(17, ["--queue-bypass"], "OUTPUT", "-o", "lo", "-p", "udp", "--dport", "16017");
        var scripts = new Dictionary<string, string> { ["slow.lua"] = "function filter(pkt) local n = 0 for i = 1, 5000 do n = n + i end return true end" };
        using var daemon = DaemonProcess.Start("queue { 17, maxlen = 4096, rule { \"slow\", script = \"slow.lua\" } }", scripts);
        Assert.True(daemon.WaitForNotification("READY=1", s_ready), daemon.StdErr);

        int received = 0;
        var load = new Thread(() => received = Traffic.DatagramsReceived(16017, Enumerable.Range(0, 3000).Select(i => new byte[64]), TimeSpan.FromSeconds(2)).Count);
        load.Start();
        Assert.True(WaitUntil(() => Waiting(17) > 0), "the queue never filled: no load to stop under");
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
        load.Join();

        Assert.Null(Waiting(17));
        Assert.True(received == 3000, $"received {received}\n{daemon.StdErr}");
        Assert.Contains("every queue drained and unbound", daemon.StdErr, StringComparison.Ordinal);
    }

    private void Queue(ushort queue, string chain, params string[] match) => QueueWith(queue, [], chain, match);

    private void QueueWith(ushort queue, string[] targetOptions, string chain, params string[] match)
    {
        string[] rule = [chain, .. match, "-j", "NFQUEUE", "--queue-num", queue.ToString(System.Globalization.CultureInfo.InvariantCulture), .. targetOptions];
        Iptables(["-A", .. rule]);
        _rules.Add(rule);
    }

    private static int Reloads(DaemonProcess daemon) => daemon.StdErr.Split("configuration reloaded").Length - 1;

    private static bool WaitUntil(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(50);
        }

        return false;
    }
}
