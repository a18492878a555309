using NfLua.Control;
using NfLua.Engine;

namespace NfLua.Daemon.Tests.Hosting;

/// <summary>A rule is a name with a set of queues: list, stats, load and unload agree on it, ranges included.</summary>
public sealed class RuleIdentityTests
{
    [Fact]
    public async Task ARangesRule_IsListedOnEveryQueue_AndOneUnloadRemovesItFromAll()
    {
        await using var daemon = DaemonHarness.Create(
            "queue { first = 0, last = 3, rule { \"x\", script = \"drop.lua\" } }", Scripts.Files);
        await daemon.StartAsync();
        Assert.All(Enumerable.Range(0, 4), q => Assert.Equal(DecisionKind.Drop, DaemonHarness.Judge(daemon.Channels.Bound((ushort)q))[0]));
        Assert.Equal([0, 1, 2, 3], (await daemon.ListAsync()).Where(r => r.Name == "x").Select(r => r.Queue));
        Assert.Equal(4, (await daemon.OkAsync<StatsResult>(new StatsRequest())).Rules.Count(r => r.Name == "x" && r.Calls == 1));

        UnloadResult unloaded = await daemon.OkAsync<UnloadResult>(new UnloadRequest("x"));

        Assert.Equal([0, 1, 2, 3], unloaded.Queues);
        Assert.Empty(await daemon.ListAsync());
        Assert.Empty((await daemon.OkAsync<StatsResult>(new StatsRequest())).Rules);
        Assert.All(Enumerable.Range(0, 4), q => Assert.Equal(DecisionKind.Accept, DaemonHarness.Judge(daemon.Channels.Bound((ushort)q))[0]));
        Assert.Contains("no rule named 'x'", await daemon.RefusedAsync(new UnloadRequest("x"), ControlErrorName.NotFound), StringComparison.Ordinal);
        Assert.True((await daemon.StatusAsync()).Queues.All(q => q.Bound)); // configured queues stay bound, with no rule
    }

    [Fact]
    public async Task LoadingARangesRuleOntoOneQueue_MovesAllOfIt_AndSaysFromWhere()
    {
        await using var daemon = DaemonHarness.Create(
            "queue { first = 0, last = 3, rule { \"x\", script = \"drop.lua\" } }", Scripts.Files);
        await daemon.StartAsync();

        LoadResult loaded = await daemon.OkAsync<LoadResult>(new LoadRequest("x", Scripts.Pass, 1));

        Assert.True(loaded.Replaced);
        Assert.Equal([0, 2, 3], loaded.MovedFrom);
        Assert.Equal([1], (await daemon.ListAsync()).Select(r => r.Queue));
        Assert.Equal(DecisionKind.Accept, DaemonHarness.Judge(daemon.Channels.Bound(0))[0]);
        Assert.True(daemon.Logs.Contains("moved rule x from queues 0, 2-3 to queue 1"), daemon.Logs.Text);
    }

    [Fact]
    public async Task LoadingAnExistingNameOntoAnotherQueue_MovesIt_AndUnbindsTheQueueItLeft()
    {
        await using var daemon = DaemonHarness.Create("queue { 1 }", Scripts.Files);
        await daemon.StartAsync();
        await daemon.OkAsync<LoadResult>(new LoadRequest("q", Scripts.Drop, 7));
        Assert.Equal(DecisionKind.Drop, DaemonHarness.Judge(daemon.Channels.Bound(7))[0]);

        LoadResult moved = await daemon.OkAsync<LoadResult>(new LoadRequest("q", Scripts.Drop, 1));

        Assert.Equal([7], moved.MovedFrom);
        Assert.True(daemon.Logs.Contains("moved rule q from queue 7 to queue 1"), daemon.Logs.Text);
        Assert.False(daemon.Channels.IsBound(7)); // no rule and not configured: unbound, not accepting everything
        Assert.DoesNotContain((await daemon.StatusAsync()).Queues, q => q.Queue == 7);
        Assert.Equal(DecisionKind.Drop, DaemonHarness.Judge(daemon.Channels.Bound(1))[0]);

        await daemon.OkAsync<UnloadResult>(new UnloadRequest("q"));
        Assert.True(daemon.Channels.IsBound(1)); // configured: stays bound
    }

    [Fact]
    public async Task UnloadingTheLastRuleOfAQueueBoundForIt_UnbindsIt()
    {
        await using var daemon = DaemonHarness.Create("", Scripts.Files);
        await daemon.StartAsync();
        await daemon.OkAsync<LoadResult>(new LoadRequest("a", Scripts.Pass, 9));
        await daemon.OkAsync<LoadResult>(new LoadRequest("b", Scripts.Drop, 9));

        await daemon.OkAsync<UnloadResult>(new UnloadRequest("a"));
        Assert.Equal(DecisionKind.Drop, DaemonHarness.Judge(daemon.Channels.Bound(9))[0]);
        await daemon.OkAsync<UnloadResult>(new UnloadRequest("b"));

        Assert.False(daemon.Channels.IsBound(9));
        Assert.Empty((await daemon.StatusAsync()).Queues);
    }
}
