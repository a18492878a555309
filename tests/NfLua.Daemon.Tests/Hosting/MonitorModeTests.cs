using NfLua.Control;
using NfLua.Daemon.Tests.Queues;
using NfLua.Engine;

namespace NfLua.Daemon.Tests.Hosting;

/// <summary>Monitor mode: a rule runs and is counted, its verdicts are not applied; enforce makes them count, keeping its state.</summary>
public sealed class MonitorModeTests : IDisposable
{
    // Drops every second packet: its own state (n) says which.
    private const string EveryOther = "n = 0 function filter(pkt) n = n + 1 return n % 2 == 1 end";

    private readonly string _state = Directory.CreateTempSubdirectory("nfluad-state-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public async Task ConfiguredMonitorRule_PassesEveryPacket_AndCountsWhatItWouldDo_NextToTheSameRuleEnforcing()
    {
        await using var daemon = DaemonHarness.Create(
            "queue { 11, rule { \"watch\", script = \"odd.lua\", mode = \"monitor\" } }\nqueue { 12, rule { \"guard\", script = \"odd.lua\" } }",
            new Dictionary<string, string> { ["odd.lua"] = EveryOther });
        await daemon.StartAsync();

        List<DecisionKind> monitored = DaemonHarness.Judge(daemon.Channels.Bound(11), 10);
        List<DecisionKind> enforced = DaemonHarness.Judge(daemon.Channels.Bound(12), 10);

        Assert.All(monitored, v => Assert.Equal(DecisionKind.Accept, v));
        Assert.Equal(5, enforced.Count(v => v == DecisionKind.Drop));
        StatsResult stats = await daemon.OkAsync<StatsResult>(new StatsRequest());
        RuleStats watch = stats.Rules.Single(r => r.Name == "watch");
        RuleStats guard = stats.Rules.Single(r => r.Name == "guard");
        Assert.Equal((guard.Calls, guard.Passed, guard.Dropped), (watch.Calls, watch.Passed, watch.Dropped)); // exactly what enforcing does
        Assert.Equal(("monitor", "enforce"), (watch.Mode, guard.Mode));
        Assert.Equal((10L, 0L), (stats.Queues.Single(q => q.Queue == 11).Accepted, stats.Queues.Single(q => q.Queue == 11).Dropped));
        Assert.Equal("monitor", (await daemon.ListAsync()).Single(r => r.Name == "watch").Mode);
    }

    [Fact]
    public async Task LoadMonitor_ThenEnforce_KeepsTheRulesState_AndTheModeSurvivesARestart()
    {
        await using (var daemon = DaemonHarness.Create("queue { 13 }", new Dictionary<string, string>(), _state))
        {
            await daemon.StartAsync();
            LoadResult loaded = await daemon.OkAsync<LoadResult>(new LoadRequest("odd", EveryOther, 13, Monitor: true));
            Assert.Equal("monitor", loaded.Rule.Mode);
            FakeQueueChannel channel = daemon.Channels.Bound(13);
            Assert.Equal([DecisionKind.Accept, DecisionKind.Accept, DecisionKind.Accept], DaemonHarness.Judge(channel, 3)); // n = 1..3

            ModeResult enforced = await daemon.OkAsync<ModeResult>(new ModeRequest("odd", Monitor: false));
            Assert.Equal(("odd", "enforce"), (enforced.Name, enforced.Mode));
            // n = 4 (even: drop), 5 (odd: pass): the count went on, the state was kept.
            Assert.Equal([DecisionKind.Drop, DecisionKind.Accept], DaemonHarness.Judge(channel, 2));

            await daemon.OkAsync<ModeResult>(new ModeRequest("odd", Monitor: true));
            Assert.True(daemon.Logs.Contains("rule odd now monitors"), daemon.Logs.Text);
            ControlResponse missing = await daemon.SendAsync(new ModeRequest("none", Monitor: false));
            Assert.Equal(ControlErrorName.NotFound, missing.Error!.Name);
        }

        await using var restarted = DaemonHarness.Create("queue { 13 }", new Dictionary<string, string>(), _state);
        await restarted.StartAsync();
        Assert.Equal("monitor", Assert.Single(await restarted.ListAsync()).Mode);
        Assert.All(DaemonHarness.Judge(restarted.Channels.Bound(13), 4), v => Assert.Equal(DecisionKind.Accept, v));
    }
}
