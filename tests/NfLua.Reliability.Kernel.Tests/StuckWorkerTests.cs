using NfLua.Control;
using NfLua.Daemon.Kernel.Tests;
using static NfLua.Reliability.Kernel.Tests.Probes;

namespace NfLua.Reliability.Kernel.Tests;

/// <summary>
/// The last line of defence against a worker that does not come back from a packet: the real nfluad reports the queue
/// stuck with the rule's name (log and status), and stops feeding systemd's watchdog until the worker moves again.
/// </summary>
public sealed class StuckWorkerTests : IDisposable
{
    private readonly Firewall _firewall = new();

    public StuckWorkerTests() => KernelEnvironment.Require();

    public void Dispose() => _firewall.Dispose();

    [Fact]
    public async Task AWorkerHeldInARule_IsReportedStuck_TheWatchdogStarves_AndTheOtherQueueIsServed()
    {
        _firewall.QueueUdp(74, 17074);
        _firewall.QueueUdp(75, 17075);
        using var daemon = DaemonProcess.Start(
            """
            watchdog { stuck_after_ms = 300 }
            queue { 74, rule { "hang", script = "hang.lua", max_call_time_ms = 5000, max_instructions = 1000000000000, on_error = "drop" } }
            queue { 75, rule { "pass", script = "pass.lua" } }
            """,
            new Dictionary<string, string>
            {
                ["hang.lua"] = "function filter(pkt) while true do end end",
                ["pass.lua"] = "function filter(pkt) return true end",
            },
            new Dictionary<string, string> { ["WATCHDOG_USEC"] = "1000000" });
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(30)), daemon.StdErr);
        Assert.True(WaitUntil(() => Pings(daemon) >= 2, TimeSpan.FromSeconds(10)), "no watchdog keep-alive while every worker moves");

        using var hung = new UdpProbe(17074);
        var sender = Task.Run(() => hung.Send(TimeSpan.FromSeconds(1)), TestContext.Current.CancellationToken); // the rule holds it for 5 s
        QueueStatus? stuck = null;
        Assert.True(WaitUntil(() => (stuck = Queue(daemon, 74)).StuckForMs is not null, TimeSpan.FromSeconds(4)), daemon.StdErr);

        Assert.Equal("hang", stuck!.StuckRule);
        Assert.Contains("queue 74 is stuck: its worker has been in rule hang for", daemon.StdErr, StringComparison.Ordinal);
        Assert.Contains("queue 74 STUCK: its worker has been in rule hang", Ctl(daemon, "status").StdOut, StringComparison.Ordinal);
        int fed = Pings(daemon);
        using (var other = new UdpProbe(17075))
        {
            Assert.True(other.Passes(TimeSpan.FromSeconds(2))); // the other queue is served meanwhile
        }

        Thread.Sleep(1500); // three watchdog periods
        if (Queue(daemon, 74).StuckForMs is not null)
        {
            Assert.Equal(fed, Pings(daemon)); // not one WATCHDOG=1 while the worker hangs: systemd would restart nfluad
        }

        // The time limit ends the call (the packet gets the rule's on-error drop); the queue and the watchdog recover.
        Assert.Null(await sender);
        Assert.True(WaitUntil(() => Queue(daemon, 74).StuckForMs is null, TimeSpan.FromSeconds(15)), daemon.StdErr);
        int after = Pings(daemon);
        Assert.True(WaitUntil(() => Pings(daemon) > after, TimeSpan.FromSeconds(5)), "the watchdog was not fed again");
        Assert.Contains("queue 74: its worker came back after", daemon.StdErr, StringComparison.Ordinal);
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }

    private static int Pings(DaemonProcess daemon) => daemon.Notifications.Count(n => n.Contains("WATCHDOG=1", StringComparison.Ordinal));

    private static QueueStatus Queue(DaemonProcess daemon, int queue) =>
        StatusAsync(daemon).GetAwaiter().GetResult().Queues.Single(q => q.Queue == queue);
}
