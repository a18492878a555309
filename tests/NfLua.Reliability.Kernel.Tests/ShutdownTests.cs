using System.Diagnostics;
using NfLua.Daemon.Kernel.Tests;
using static NfLua.Reliability.Kernel.Tests.Probes;

namespace NfLua.Reliability.Kernel.Tests;

/// <summary>SIGTERM under traffic that never pauses: every queue's worker stops at once and the drain is bounded.</summary>
public sealed class ShutdownTests : IDisposable
{
    private readonly Firewall _firewall = new();

    public ShutdownTests() => KernelEnvironment.Require();

    public void Dispose() => _firewall.Dispose();

    [Fact]
    public void Sigterm_WithFourBusyQueuesUnderSteadyTraffic_EndsWithin5s_AndLeavesNothingQueued()
    {
        ushort[] queues = [70, 71, 72, 73];
        foreach (ushort queue in queues)
        {
            _firewall.QueueUdp(queue, 17000 + queue, bypass: true); // traffic goes on once the queues are unbound
        }

        using var daemon = DaemonProcess.Start(
            "queue { first = 70, last = 73, maxlen = 4096, fail_open = true, rule { \"busy\", script = \"busy.lua\", max_call_time_ms = 1000 } }",
            new Dictionary<string, string> { ["busy.lua"] = "function filter(pkt) local n = 0 for i = 1, 3000 do n = n + i end return true end" });
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(30)), daemon.StdErr);
        var loads = queues.Select(q => new ClosedLoopLoad(17000 + q, window: 64)).ToList();
        try
        {
            Assert.True(WaitUntil(() => loads.All(l => l.Received > 500), TimeSpan.FromSeconds(20)), "no load through every queue");
            Assert.True(WaitUntil(() => queues.Sum(q => KernelEnvironment.Waiting(q) ?? 0) > 0, TimeSpan.FromSeconds(10)), "the queues never held packets");

            var clock = Stopwatch.StartNew();
            daemon.Signal("TERM");
            bool ended = daemon.WaitForExit(TimeSpan.FromSeconds(30));
            TimeSpan stopping = clock.Elapsed;
            Figure("shutdown.four-busy-queues.sigterm-to-exit-ms", stopping.TotalMilliseconds.ToString("F0", System.Globalization.CultureInfo.InvariantCulture));

            Assert.True(ended, "nfluad did not end within 30 s of SIGTERM");
            Assert.True(stopping < TimeSpan.FromSeconds(5), $"nfluad took {stopping.TotalMilliseconds:F0} ms to stop (bound 5 s)\n{daemon.StdErr}");
            Assert.Equal(0, daemon.ExitCode);
            Assert.All(queues, q => Assert.Null(KernelEnvironment.Waiting(q))); // every queue unbound: nothing left queued in it
            Assert.Contains("every queue drained and unbound", daemon.StdErr, StringComparison.Ordinal);
            long before = loads.Sum(l => l.Received);
            Assert.True(WaitUntil(() => loads.Sum(l => l.Received) > before + 100, TimeSpan.FromSeconds(5)), "traffic did not go on after the stop");
        }
        finally
        {
            loads.ForEach(l => l.Dispose());
        }
    }
}
