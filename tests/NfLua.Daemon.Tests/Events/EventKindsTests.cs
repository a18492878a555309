using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NfLua.Control;
using NfLua.Daemon.Hosting;
using NfLua.Daemon.Tests.Hosting;
using NfLua.Daemon.Tests.Queues;
using NfLua.Netlink;

namespace NfLua.Daemon.Tests.Events;

/// <summary>
/// The event log's kinds besides alerts: queue_overflow (the kernel's counters going up), control (each change request),
/// limit (a call stopped by its limits), suppressed (a storm's tail); and the message counters, which only go up.
/// </summary>
public sealed class EventKindsTests
{
    private static async Task<List<JsonElement>> EventsAsync(DaemonHarness daemon, string type)
    {
        daemon.Service.Events.DrainNow();
        EventsResult result = await daemon.OkAsync<EventsResult>(new EventsRequest(Max: 4096));
        return [.. result.Events.Select(e => JsonDocument.Parse(e).RootElement).Where(e => e.GetProperty("type").GetString() == type)];
    }

    private static NfQueueKernelCounters Kernel(uint queue, uint queueDropped, uint userDropped, uint waiting = 0) =>
        new(queue, 1234, waiting, 2, 0xffff, queueDropped, userDropped, 100);

    [Fact]
    public async Task QueueOverflow_IsPosted_WhenABoundQueuesKernelCountersGoUp()
    {
        await using var daemon = DaemonHarness.Create("queue { 3 }", new Dictionary<string, string>());
        await daemon.StartAsync();
        var watch = new QueueOverflowWatch(daemon.Workers, daemon.Service.Events);

        watch.Check([Kernel(3, 10, 5), Kernel(9, 0, 0)]);                  // the first look only remembers
        watch.Check([Kernel(3, 10, 5), Kernel(9, 50, 50)]);                // nothing new on 3; 9 is not nfluad's
        Assert.Empty(await EventsAsync(daemon, "queue_overflow"));

        watch.Check([Kernel(3, 17, 5, waiting: 1024)]);
        watch.Check([Kernel(3, 17, 9)]);
        watch.Check([Kernel(3, 2, 1)]);                                    // the counters restarted: not an overflow
        List<JsonElement> events = await EventsAsync(daemon, "queue_overflow");
        Assert.Equal(2, events.Count);
        Assert.Equal(
            ["time", "type", "queue", "queue_dropped", "user_dropped", "queue_dropped_total", "user_dropped_total", "waiting"],
            events[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal((3, 7, 0, 17, 1024), (events[0].GetProperty("queue").GetInt32(), events[0].GetProperty("queue_dropped").GetInt32(),
            events[0].GetProperty("user_dropped").GetInt32(), events[0].GetProperty("queue_dropped_total").GetInt32(), events[0].GetProperty("waiting").GetInt32()));
        Assert.Equal((0, 4, 9), (events[1].GetProperty("queue_dropped").GetInt32(), events[1].GetProperty("user_dropped").GetInt32(),
            events[1].GetProperty("user_dropped_total").GetInt32()));
    }

    [Fact]
    public async Task Control_EventsSayWhoDidWhatToWhichRuleAndQueues_WithTheScriptsHash_AndHowItEnded()
    {
        await using var daemon = DaemonHarness.Create("queue { 4 }\nqueue { 5 }", new Dictionary<string, string>());
        await daemon.StartAsync();
        var peer = new ControlPeer(1001, 777);
        const string script = "function filter(pkt) return true end";
        string sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(script)));

        Assert.True((await daemon.SendAsync(new LoadRequest("r", script, 4), peer)).IsOk);
        Assert.True((await daemon.SendAsync(new LoadRequest("r", script, 4), peer)).IsOk);
        Assert.True((await daemon.SendAsync(new LoadRequest("r", script, 5), peer)).IsOk);
        Assert.False((await daemon.SendAsync(new LoadRequest("bad", "function filter(", 4), peer)).IsOk);
        Assert.True((await daemon.SendAsync(new UnloadRequest("r"), peer)).IsOk);

        List<JsonElement> events = await EventsAsync(daemon, "control");
        Assert.Equal(["load", "replace", "move", "load", "unload"], events.Select(e => e.GetProperty("action").GetString()));
        JsonElement load = events[0];
        Assert.Equal(["time", "type", "action", "rule", "queues", "sha256", "uid", "pid", "result"], load.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("r", sha, 1001, 777, "done"), (load.GetProperty("rule").GetString(), load.GetProperty("sha256").GetString(),
            load.GetProperty("uid").GetInt32(), load.GetProperty("pid").GetInt32(), load.GetProperty("result").GetString()));
        Assert.Equal([4], load.GetProperty("queues").EnumerateArray().Select(q => q.GetInt32()));
        Assert.Equal([5], events[2].GetProperty("queues").EnumerateArray().Select(q => q.GetInt32()));
        Assert.Equal(("bad", "refused"), (events[3].GetProperty("rule").GetString(), events[3].GetProperty("result").GetString()));
        Assert.True(events[3].TryGetProperty("error", out _));
        Assert.Equal([5], events[4].GetProperty("queues").EnumerateArray().Select(q => q.GetInt32()));
        Assert.False(events[4].TryGetProperty("sha256", out _));
    }

    [Fact]
    public async Task Limit_EventsNameTheLimitAndThePacket()
    {
        await using var daemon = DaemonHarness.Create("queue { 6 }", new Dictionary<string, string>());
        await daemon.StartAsync();
        await daemon.OkAsync<LoadResult>(new LoadRequest("spin", "function filter(pkt) while true do end end", 6, MaxInstructions: 10_000, OnError: RuleFailureVerdict.Drop));
        DaemonHarness.Judge(daemon.Channels.Bound(6), 2);

        List<JsonElement> events = await EventsAsync(daemon, "limit");
        Assert.Equal(2, events.Count);
        JsonElement e = events[0];
        Assert.Equal(("spin", 6, "instruction_limit", "drop"), (e.GetProperty("rule").GetString(), e.GetProperty("queue").GetInt32(),
            e.GetProperty("kind").GetString(), e.GetProperty("verdict").GetString()));
        Assert.Contains("instruction limit exceeded", e.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(4, e.GetProperty("len").GetInt32());
        Assert.Empty(await EventsAsync(daemon, "rule_failure")); // a limit is its own kind
    }

    [Fact]
    public async Task AStormsTail_IsWrittenOnce_WhenTheBucketIsFullAgain_EvenWithNoFurtherAlert()
    {
        await using var daemon = DaemonHarness.Create("events { rate = 1, burst = 2 }\nqueue { 7 }", new Dictionary<string, string>());
        await daemon.StartAsync();
        await daemon.OkAsync<LoadResult>(new LoadRequest("noisy", "function filter(pkt) nflua.alert('x') nflua.log('l') return false end", 7));
        DaemonHarness.Judge(daemon.Channels.Bound(7), 40); // one batch or a few: far more than 2 per 2 ms
        StatsResult stats = await daemon.OkAsync<StatsResult>(new StatsRequest());
        RuleStats rule = Assert.Single(stats.Rules);
        Assert.Equal(40, rule.Alerts + rule.AlertsSuppressed);
        Assert.True(rule.AlertsSuppressed > 0, "the flood was not limited");

        // The event thread writes the tail once the bucket is full again (2 s here); nothing more comes from this rule.
        List<JsonElement> tails = [];
        DaemonHarness.WaitUntil(() => (tails = EventsAsync(daemon, "suppressed").GetAwaiter().GetResult()).Count > 0, "the storm's tail");
        Thread.Sleep(200);
        tails = await EventsAsync(daemon, "suppressed");
        JsonElement tail = Assert.Single(tails);
        Assert.Equal(["time", "type", "rule", "queue", "channel", "suppressed"], tail.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("noisy", 7, "alert"), (tail.GetProperty("rule").GetString(), tail.GetProperty("queue").GetInt32(), tail.GetProperty("channel").GetString()));

        // Every refusal is reported once: in a later alert's suppressed_before or in the tail.
        long carried = (await EventsAsync(daemon, "alert")).Sum(a => a.TryGetProperty("suppressed_before", out JsonElement n) ? n.GetInt64() : 0);
        Assert.Equal(rule.AlertsSuppressed, carried + tail.GetProperty("suppressed").GetInt64());
        Assert.Contains(daemon.Logs.Lines, l => l.Message.EndsWith("nflua.log lines suppressed", StringComparison.Ordinal) && l.Message.StartsWith("rule noisy queue 7: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MessageCounters_OnlyGoUp_AcrossReplaceUnloadAndReload()
    {
        await using var daemon = DaemonHarness.Create("events { rate = 0, burst = 3 }\nqueue { 8 }", new Dictionary<string, string>());
        await daemon.StartAsync();
        const string script = "function filter(pkt) nflua.alert('a') nflua.log('l') return true end";
        FakeQueueChannel channel = daemon.Channels.Bound(8);
        async Task<RuleStats> Stats() => Assert.Single((await daemon.OkAsync<StatsResult>(new StatsRequest())).Rules);

        await daemon.OkAsync<LoadResult>(new LoadRequest("talker", script, 8));
        DaemonHarness.Judge(channel, 5);
        RuleStats first = await Stats();
        Assert.Equal((3L, 2L, 3L, 2L), (first.Alerts, first.AlertsSuppressed, first.Logs, first.LogsSuppressed));

        await daemon.OkAsync<LoadResult>(new LoadRequest("talker", script + " ", 8)); // replaced: a new state, a new bucket
        Assert.Equal((3L, 2L), ((await Stats()).Alerts, (await Stats()).AlertsSuppressed));
        DaemonHarness.Judge(channel, 4);
        Assert.Equal((6L, 3L, 6L, 3L), ((await Stats()).Alerts, (await Stats()).AlertsSuppressed, (await Stats()).Logs, (await Stats()).LogsSuppressed));

        await daemon.OkAsync<UnloadResult>(new UnloadRequest("talker"));
        daemon.Service.Events.DrainNow(); // the unloaded rule's ring is emptied and the rule forgotten: its counts stay
        await daemon.OkAsync<LoadResult>(new LoadRequest("talker", script, 8));
        Assert.Equal((6L, 3L), ((await Stats()).Alerts, (await Stats()).AlertsSuppressed));
        await daemon.OkAsync<ReloadResult>(new ReloadRequest());
        DaemonHarness.Judge(channel, 1);
        RuleStats last = await Stats();
        Assert.True(last.Alerts >= 6 && last.AlertsSuppressed >= 3 && last.Alerts + last.AlertsSuppressed == 10, $"{last}");
    }
}
