using NfLua.Control;
using NfLua.Daemon.Kernel.Tests;
using NfLua.Netlink;
using static NfLua.Reliability.Kernel.Tests.Probes;

namespace NfLua.Reliability.Kernel.Tests;

/// <summary>Another process already holds one of nfluad's queues: a clear error naming it, and the other queues served.</summary>
public sealed class HeldQueueTests : IDisposable
{
    private readonly Firewall _firewall = new();

    public HeldQueueTests() => KernelEnvironment.Require();

    public void Dispose() => _firewall.Dispose();

    [Fact]
    public async Task QueueHeldByAnotherProcess_IsReportedAndTheOtherQueueIsServed()
    {
        // The holder: this test process binds queue 57 first, as another NFQUEUE program would.
        using NfQueueSocket holder = NfQueueSocket.Open(new NfQueueOptions { QueueNumber = 57 });
        uint holderPort = NfQueueProcReader.Find(57)!.PortId;
        _firewall.QueueUdp(56, 17056);
        using var daemon = DaemonProcess.Start(
            "queue { 56, rule { \"drop\", script = \"drop.lua\" } }\nqueue { 57 }\n",
            new Dictionary<string, string> { ["drop.lua"] = "function filter(pkt) return false end" });
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(30)), daemon.StdErr);

        string expected = $"queue 57 is not served: queue 57 is held by another process (EPERM; netlink portid {holderPort})";
        Assert.Contains(expected, daemon.StdErr, StringComparison.Ordinal);

        using (var probe = new UdpProbe(17056))
        {
            Assert.False(probe.Passes(TimeSpan.FromMilliseconds(300)));
        }

        Assert.Equal(1, (await QueueStatsAsync(daemon, 56)).Dropped);

        var status = (StatusResult)(await daemon.ControlAsync(new StatusRequest())).Result!;
        QueueStatus held = status.Queues.Single(q => q.Queue == 57);
        Assert.False(held.Bound);
        Assert.Contains("held by another process", held.Reason, StringComparison.Ordinal);
        Assert.True(status.Queues.Single(q => q.Queue == 56).Bound);

        var text = Ctl(daemon, "status");
        Assert.True(text.ExitCode == 0, text.StdErr);
        Assert.Contains($"queue 57 not bound: queue 57 is held by another process (EPERM; netlink portid {holderPort})", text.StdOut, StringComparison.Ordinal);
        Assert.Equal(holderPort, NfQueueProcReader.Find(57)!.PortId); // nfluad left it alone
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task LoadOntoAQueueHeldByAnotherProcess_IsRefused_AndChangesNothing()
    {
        using NfQueueSocket holder = NfQueueSocket.Open(new NfQueueOptions { QueueNumber = 59 });
        _firewall.QueueUdp(58, 17058);
        using var daemon = DaemonProcess.Start(
            "queue { 58 }", new Dictionary<string, string> { ["drop.lua"] = "function filter(pkt) return false end" });
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(30)), daemon.StdErr);
        string drop = Path.Combine(daemon.Directory, "drop.lua");
        Assert.Equal(0, Ctl(daemon, "load", "r", drop, "--queue", "58").ExitCode);

        var refused = Ctl(daemon, "load", "r", drop, "--queue", "59"); // would move r to the held queue

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("rule 'r' not loaded: queue 59 cannot be bound: queue 59 is held by another process", refused.StdErr, StringComparison.Ordinal);
        RuleInfo rule = Assert.Single(((ListResult)(await daemon.ControlAsync(new ListRequest())).Result!).Rules);
        Assert.Equal(58, rule.Queue); // the rule it would have replaced is where it was
        using (var probe = new UdpProbe(17058))
        {
            Assert.False(probe.Passes(TimeSpan.FromMilliseconds(300)));
        }

        Assert.Equal(1, (await QueueStatsAsync(daemon, 58)).Dropped); // dropped by the rule, still running
        var status = (StatusResult)(await daemon.ControlAsync(new StatusRequest())).Result!;
        Assert.DoesNotContain(status.Queues, q => q.Queue == 59); // no rule uses it: no "not bound" entry
        Assert.Equal(holder.Settings.PortId, NfQueueProcReader.Find(59)!.PortId);
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }
}
