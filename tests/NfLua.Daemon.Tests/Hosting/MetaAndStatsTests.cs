using NfLua.Control;
using NfLua.Daemon.Tests.Queues;
using NfLua.Engine;
using NfLua.Scripting;

namespace NfLua.Daemon.Tests.Hosting;

/// <summary>The worker hands each packet's metadata to the rules; stats report every call's time and the on-error verdicts apart.</summary>
public sealed class MetaAndStatsTests
{
    [Fact]
    public async Task Worker_GivesRulesThePacketsMetadata()
    {
        await using var daemon = DaemonHarness.Create(
            "queue { 5, rule { \"uid\", script = \"uid.lua\", max_call_time_ms = 5000 } }",
            new Dictionary<string, string> { ["uid.lua"] = "function filter(pkt) local m = nflua.meta(pkt) return m.hook == 'output' and m.uid == 1000 end" });
        await daemon.StartAsync();
        FakeQueueChannel channel = daemon.Channels.Bound(5);

        PacketMeta meta = PacketMeta.None;
        meta.Hook = PacketHook.Output;
        meta.HasUid = true;
        meta.Uid = 1000;
        channel.Meta = meta;
        Assert.Equal([DecisionKind.Accept], DaemonHarness.Judge(channel));
        meta.Uid = 1001;
        channel.Meta = meta;
        Assert.Equal([DecisionKind.Drop], DaemonHarness.Judge(channel));
    }

    [Fact]
    public async Task Stats_ReportTheCallTimeHistogramAndTheOnErrorVerdicts()
    {
        await using var daemon = DaemonHarness.Create(
            "queue { 6, rule { \"flaky\", script = \"flaky.lua\", on_error = \"accept\", max_call_time_ms = 5000 } }",
            new Dictionary<string, string> { ["flaky.lua"] = "n = 0 function filter(pkt) n = n + 1 if n % 2 == 0 then error('even') end return false end" });
        await daemon.StartAsync();
        FakeQueueChannel channel = daemon.Channels.Bound(6);

        List<DecisionKind> verdicts = DaemonHarness.Judge(channel, 10);

        StatsResult stats = await daemon.OkAsync<StatsResult>(new StatsRequest());
        RuleStats rule = Assert.Single(stats.Rules);
        Assert.Equal(5, verdicts.Count(v => v == DecisionKind.Accept));
        Assert.Equal((10, 0, 5, 5, 0), (rule.Calls, rule.Passed, rule.Dropped, rule.AcceptedOnError, rule.DroppedOnError));
        Assert.NotNull(rule.CallTimeHistogram);
        Assert.Equal(10, rule.CallTimeHistogram.Sum());
        Assert.Equal(CallTimeHistogram.BucketCount, rule.CallTimeHistogram.Count);
    }
    [Fact]
    public async Task Stats_CarryTheWorkerThreadsAllocation()
    {
        await using var daemon = DaemonHarness.Create(
            "queue { 8, rule { \"pass\", script = \"pass.lua\", max_call_time_ms = 5000 } }",
            new Dictionary<string, string> { ["pass.lua"] = "function filter(pkt) return true end" });
        await daemon.StartAsync();
        DaemonHarness.Judge(daemon.Channels.Bound(8), 100);
        long first = Assert.Single((await daemon.OkAsync<StatsResult>(new StatsRequest())).Queues).WorkerAllocatedBytes;

        // The control requests allocate plenty, on other threads: they do not count.
        for (int i = 0; i < 20; i++)
        {
            await daemon.OkAsync<StatsResult>(new StatsRequest());
        }

        long later = Assert.Single((await daemon.OkAsync<StatsResult>(new StatsRequest())).Queues).WorkerAllocatedBytes;
        Assert.True(first > 0, "the worker's start (its first batches) allocated nothing?");
        Assert.Equal(first, later);
    }

    [Fact]
    public async Task QueueFailureVerdicts_OnlyGoUp_WhenTheFailingRuleIsReplacedOrUnloaded()
    {
        await using var daemon = DaemonHarness.Create("queue { 7 }", new Dictionary<string, string>());
        await daemon.StartAsync();
        await daemon.OkAsync<LoadResult>(new LoadRequest("broken", "function filter(pkt) error('no') end", 7, OnError: RuleFailureVerdict.Accept));
        FakeQueueChannel channel = daemon.Channels.Bound(7);
        DaemonHarness.Judge(channel, 3);
        Assert.Equal(3, Assert.Single((await daemon.OkAsync<StatsResult>(new StatsRequest())).Queues).FailureVerdicts);

        await daemon.OkAsync<LoadResult>(new LoadRequest("broken", "function filter(pkt) return true end", 7));
        Assert.Equal(3, Assert.Single((await daemon.OkAsync<StatsResult>(new StatsRequest())).Queues).FailureVerdicts);
        await daemon.OkAsync<UnloadResult>(new UnloadRequest("broken"));

        StatsResult after = await daemon.OkAsync<StatsResult>(new StatsRequest());
        QueueStats queue = Assert.Single(after.Queues);
        Assert.Empty(after.Rules);
        Assert.Equal((3L, 3L), (queue.Packets, queue.FailureVerdicts)); // a rule's failures stay in its queue's totals
    }
}
