using NfLua.Control;
using NfLua.Daemon.Hosting;
using NfLua.Daemon.Tests.Queues;
using NfLua.Engine;
using NfLua.Scripting;

namespace NfLua.Daemon.Tests.Hosting;

/// <summary>
/// The last line of defence: a worker that does not come back from a packet is reported stuck (log, status, with the
/// rule it is in), and systemd's watchdog is fed only while every worker's heartbeat moves.
/// </summary>
public sealed class WatchTests
{
    private const string Hang = "function filter(pkt) while true do end end";

    [Fact]
    public async Task AWorkerHeldInARule_IsStuck_WithTheRulesName_TheWatchdogStarves_AndOtherQueuesFlow()
    {
        await using var daemon = DaemonHarness.Create(
            """
            watchdog { stuck_after_ms = 300 }
            queue { 1, rule { "pass", script = "pass.lua" } }
            queue { 2, rule { "hang", script = "hang.lua", max_call_time_ms = 4000, max_instructions = 1000000000000, on_error = "drop" } }
            """,
            new Dictionary<string, string>(Scripts.Files) { ["hang.lua"] = Hang },
            watchdogPeriod: TimeSpan.FromMilliseconds(200));
        await daemon.StartAsync();
        DaemonHarness.WaitUntil(() => daemon.Notifier.Count("WATCHDOG=1") >= 2, "the watchdog fed while every worker moves");

        FakeQueueChannel hung = daemon.Channels.Bound(2);
        uint id = hung.Push([1]); // the rule runs for its whole 4 s time limit
        QueueStatus stuck = await WaitForStatus(daemon, 2, q => q.StuckForMs is not null);

        Assert.Equal("hang", stuck.StuckRule);
        Assert.True(daemon.Logs.Contains("queue 2 is stuck: its worker has been in rule hang for"), daemon.Logs.Text);
        int fed = daemon.Notifier.Count("WATCHDOG=1");
        Assert.Equal(DecisionKind.Accept, DaemonHarness.Judge(daemon.Channels.Bound(1))[0]); // the other queue is served meanwhile
        Thread.Sleep(600); // three watchdog periods
        if (!hung.Verdicts.ContainsKey(id))
        {
            Assert.Equal(fed, daemon.Notifier.Count("WATCHDOG=1")); // not one WATCHDOG=1 while it hangs
        }

        // The time limit ends the call: the packet gets the rule's on-error verdict, the queue recovers, the watchdog is fed again.
        DaemonHarness.WaitUntil(() => hung.Verdicts.ContainsKey(id), "the hanging call to end at its time limit");
        Assert.Equal(DecisionKind.Drop, hung.Verdicts[id].Kind);
        await WaitForStatus(daemon, 2, q => q.StuckForMs is null);
        int after = daemon.Notifier.Count("WATCHDOG=1");
        DaemonHarness.WaitUntil(() => daemon.Notifier.Count("WATCHDOG=1") > after, "the watchdog fed again");
        Assert.True(daemon.Logs.Contains("queue 2: its worker came back after"), daemon.Logs.Text);
    }

    [Fact]
    public async Task AWorkerHeldOutsideTheRules_IsStuckWithoutARule()
    {
        await using var daemon = DaemonHarness.Create("watchdog { stuck_after_ms = 200 }\nqueue { 3 }", Scripts.Files);
        await daemon.StartAsync();
        FakeQueueChannel channel = daemon.Channels.Bound(3);

        channel.ReceiveGate.Reset(); // held in a receive: as a worker wedged in a system call would be
        QueueStatus stuck = await WaitForStatus(daemon, 3, q => q.StuckForMs is not null);

        Assert.Null(stuck.StuckRule);
        Assert.True(daemon.Logs.Contains("queue 3 is stuck: its worker has been outside the rules"), daemon.Logs.Text);
        channel.ReceiveGate.Set();
        await WaitForStatus(daemon, 3, q => q.StuckForMs is null);
    }

    [Fact]
    public async Task TheWatchdog_IsFedOnlyWhenEveryWorkersHeartbeatMovedSinceTheLastPing()
    {
        await using var daemon = DaemonHarness.Create("queue { 4 }\nqueue { 5 }", Scripts.Files);
        await daemon.StartAsync(); // the harness's own watch feeds no watchdog: this one is driven by hand, on its own clock
        var notifier = new RecordingNotifier();
        using var watch = new WorkerWatch(daemon.Workers, daemon.Configuration, notifier,
            new NfluadOptions { WatchdogPeriod = TimeSpan.FromSeconds(1) }, Microsoft.Extensions.Logging.Abstractions.NullLogger<WorkerWatch>.Instance);
        FakeQueueChannel held = daemon.Channels.Bound(5);

        watch.Check(0);
        Assert.Equal(1, notifier.Count("WATCHDOG=1")); // new workers count as alive
        held.ReceiveGate.Reset();
        DaemonHarness.WaitUntil(() => held.AtGate, "queue 5's worker held");
        watch.Check(1000); // both may have moved since the first ping
        int pings = notifier.Count("WATCHDOG=1");
        watch.Check(2000);
        watch.Check(3000);
        watch.Check(4000);

        Assert.Equal(pings, notifier.Count("WATCHDOG=1")); // queue 5's heartbeat stands still: no ping, however long
        long steps = daemon.Workers.All.Single(w => w.Queue == 5).Progress.Steps;
        held.ReceiveGate.Set();
        DaemonHarness.WaitUntil(() => daemon.Workers.All.Single(w => w.Queue == 5).Progress.Steps != steps, "queue 5's worker moving again");
        DaemonHarness.WaitUntil(() => { watch.Check(5000); return notifier.Count("WATCHDOG=1") == pings + 1; }, "a ping once both moved");
    }

    [Fact]
    public void TheStuckBound_IsTheConfiguredOne_ElseTenTimesTheRulesTimeLimit_AtLeastASecond()
    {
        using LuaRule slow = LuaRule.Compile("slow", "function filter(pkt) return true end", "slow.lua", new RuleLimits { MaxCallTime = TimeSpan.FromMilliseconds(500) });
        using LuaRule quick = LuaRule.Compile("quick", "function filter(pkt) return true end", "quick.lua", new RuleLimits());

        Assert.Equal(TimeSpan.FromSeconds(5), WorkerWatch.Bound(null, slow));
        Assert.Equal(TimeSpan.FromSeconds(1), WorkerWatch.Bound(null, quick)); // 10 x 20 ms is less than the floor
        Assert.Equal(TimeSpan.FromSeconds(1), WorkerWatch.Bound(null, null)); // outside the rules
        Assert.Equal(TimeSpan.FromMilliseconds(300), WorkerWatch.Bound(TimeSpan.FromMilliseconds(300), slow));
    }

    private static async Task<QueueStatus> WaitForStatus(DaemonHarness daemon, int queue, Func<QueueStatus, bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            QueueStatus status = (await daemon.StatusAsync()).Queues.Single(q => q.Queue == queue);
            if (condition(status))
            {
                return status;
            }

            Assert.True(clock.Elapsed < DaemonHarness.Wait, $"queue {queue}'s status never changed as expected: {status}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
