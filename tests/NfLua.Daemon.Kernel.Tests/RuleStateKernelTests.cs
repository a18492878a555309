using System.Globalization;
using static NfLua.Daemon.Kernel.Tests.KernelEnvironment;

namespace NfLua.Daemon.Kernel.Tests;

/// <summary>
/// Rule identity, moves and start-up order against the real kernel: a rule on a range of queues is one rule, a queue
/// left without rules is unbound, and a second nfluad never touches the queues before it knows the socket is free.
/// </summary>
public sealed class RuleStateKernelTests : IDisposable
{
    private static readonly TimeSpan s_ready = TimeSpan.FromSeconds(15);
    private readonly List<string[]> _rules = [];

    public RuleStateKernelTests() => Require();

    public void Dispose()
    {
        foreach (string[] rule in _rules)
        {
            Run("iptables", ["-w", "-D", .. rule]);
        }
    }

    [Fact]
    public void ARangeOfQueuesWithARule_FiltersEveryQueue_AndOneUnloadRemovesItFromAll()
    {
        for (ushort queue = 30; queue <= 33; queue++)
        {
            QueueUdp(queue, 16000 + queue);
        }

        using var daemon = DaemonProcess.Start(
            "queue { first = 30, last = 33, rule { \"drop\", script = \"drop.lua\" } }",
            new Dictionary<string, string> { ["drop.lua"] = "function filter(pkt) return false end" });
        Assert.True(daemon.WaitForNotification("READY=1", s_ready), daemon.StdErr);
        for (int port = 16030; port <= 16033; port++)
        {
            Assert.Empty(Traffic.DatagramsReceived(port, [[1]], TimeSpan.FromMilliseconds(300)));
        }

        var list = Ctl(daemon, "list");
        Assert.Equal(4, list.StdOut.Split('\n').Count(l => l.Contains(" drop ", StringComparison.Ordinal)));
        var unload = Ctl(daemon, "unload", "drop");
        Assert.True(unload.ExitCode == 0, unload.StdErr);
        Assert.Equal("unloaded rule drop from queues 30-33", unload.StdOut.Trim());

        Assert.Equal("no rules loaded", Ctl(daemon, "list").StdOut.Trim());
        for (int port = 16030; port <= 16033; port++)
        {
            Assert.Single(Traffic.DatagramsReceived(port, [[2]], TimeSpan.FromSeconds(2))); // configured queues, no rule: accepted
        }

        Assert.Equal(1, Ctl(daemon, "unload", "drop").ExitCode);
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void MovingARule_SaysSo_AndUnbindsTheQueueItLeft()
    {
        QueueUdp(34, 16034);
        QueueUdp(35, 16035);
        using var daemon = DaemonProcess.Start("queue { 35 }");
        Assert.True(daemon.WaitForNotification("READY=1", s_ready), daemon.StdErr);
        string drop = Path.Combine(daemon.Directory, "drop.lua");
        File.WriteAllText(drop, "function filter(pkt) return false end");

        Assert.Equal(0, Ctl(daemon, "load", "q", drop, "--queue", "34").ExitCode);
        Assert.NotNull(Waiting(34)); // bound for the rule
        var moved = Ctl(daemon, "load", "q", drop, "--queue", "35");

        Assert.True(moved.ExitCode == 0, moved.StdErr);
        Assert.StartsWith("moved rule q from queue 34 to queue 35", moved.StdOut, StringComparison.Ordinal);
        Assert.Contains("moved rule q from queue 34 to queue 35", daemon.StdErr, StringComparison.Ordinal); // the audit log
        Assert.Null(Waiting(34)); // left with no rule and not configured: unbound, not bound and accepting everything
        Assert.Empty(Traffic.DatagramsReceived(16035, [[1]], TimeSpan.FromMilliseconds(300)));
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void ASecondNfluadOnASocketInUse_FailsOnTheSocket_BeforeTouchingAnyQueue()
    {
        using var first = DaemonProcess.Start("queue { 36 }");
        Assert.True(first.WaitForNotification("READY=1", s_ready), first.StdErr);

        using var second = DaemonProcess.Start("queue { 36 }\nqueue { 37 }", null, "--socket", first.SocketPath);
        Assert.True(second.WaitForExit(TimeSpan.FromSeconds(20)));

        Assert.Equal(1, second.ExitCode);
        Assert.Contains($"nfluad: cannot start: {first.SocketPath} is in use: another control server is listening on it{Environment.NewLine}", second.StdErr, StringComparison.Ordinal); // one line
        Assert.DoesNotContain("queue 36", second.StdErr, StringComparison.Ordinal); // it never tried the first one's queue
        Assert.DoesNotContain("   at ", second.StdErr, StringComparison.Ordinal); // a clear message, no stack trace
        Assert.DoesNotContain("Exception", second.StdErr, StringComparison.Ordinal);
        Assert.Equal(0, first.Stop(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void RulesLoadedWithNfluaCtl_AreThereAgainAfterARestart_UnlessLoadedNoPersist()
    {
        QueueUdp(38, 16038);
        string state = Directory.CreateTempSubdirectory("nfluad-state-").FullName;
        try
        {
            using (var first = DaemonProcess.Start("", null, "--state-dir", state))
            {
                Assert.True(first.WaitForNotification("READY=1", s_ready), first.StdErr);
                string drop = Path.Combine(first.Directory, "drop.lua");
                File.WriteAllText(drop, "function filter(pkt) return false end");
                Assert.Equal(0, Ctl(first, "load", "kept", drop, "--queue", "38", "--max-instructions", "5000").ExitCode);
                var runtimeOnly = Ctl(first, "load", "for-now", drop, "--queue", "39", "--no-persist");
                Assert.Contains("until the daemon restarts", runtimeOnly.StdOut, StringComparison.Ordinal);
                Assert.Equal(0, first.Stop(TimeSpan.FromSeconds(20)));
            }

            using var second = DaemonProcess.Start("", null, "--state-dir", state);
            Assert.True(second.WaitForNotification("READY=1", s_ready), second.StdErr);

            var list = Ctl(second, "list");
            Assert.Contains("kept", list.StdOut, StringComparison.Ordinal);
            Assert.Contains("5,000", list.StdOut, StringComparison.Ordinal);
            Assert.DoesNotContain("for-now", list.StdOut, StringComparison.Ordinal);
            Assert.Null(Waiting(39));
            Assert.Empty(Traffic.DatagramsReceived(16038, [[1]], TimeSpan.FromMilliseconds(300)));
            Assert.Contains("restored 1 of 1 loaded rule(s)", second.StdErr, StringComparison.Ordinal);
            Assert.Equal(0, second.Stop(TimeSpan.FromSeconds(20)));
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    private static (int ExitCode, string StdOut, string StdErr) Ctl(DaemonProcess daemon, params string[] args) =>
        Run(NfluaCtl, ["--socket", daemon.SocketPath, .. args]);

    private void QueueUdp(ushort queue, int port)
    {
        string[] rule = ["OUTPUT", "-o", "lo", "-p", "udp", "--dport", port.ToString(CultureInfo.InvariantCulture),
            "-j", "NFQUEUE", "--queue-num", queue.ToString(CultureInfo.InvariantCulture)];
        Iptables(["-A", .. rule]);
        _rules.Add(rule);
    }
}
