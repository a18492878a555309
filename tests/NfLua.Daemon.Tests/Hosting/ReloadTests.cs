using NfLua.Control;
using NfLua.Engine;

namespace NfLua.Daemon.Tests.Hosting;

/// <summary>A reload applies the whole configuration or nothing; it binds the queues it adds and says what waits for a restart.</summary>
public sealed class ReloadTests
{
    [Fact]
    public async Task AReloadWithAnyError_ChangesNothing()
    {
        await using var daemon = DaemonHarness.Create("queue { 1, rule { \"a\", script = \"drop.lua\" } }", Scripts.Files);
        await daemon.StartAsync();
        await daemon.OkAsync<LoadResult>(new LoadRequest("loaded", Scripts.Pass, 1));

        // A good rule, a new queue, and one rule that does not compile: none of it may happen.
        File.WriteAllText(Path.Combine(daemon.Directory, "broken.lua"), "function filter(pkt) return ( end");
        daemon.WriteConfig("""
            queue { 1, rule { "a", script = "accept.lua" } }
            queue { 2, rule { "b", script = "broken.lua" } }
            """);
        string message = await daemon.RefusedAsync(new ReloadRequest(), ControlErrorName.BadRequest);

        Assert.Contains("broken.lua:1:", message, StringComparison.Ordinal);
        Assert.Equal(["a", "loaded"], (await daemon.ListAsync()).Select(r => r.Name));
        Assert.Equal(DecisionKind.Drop, DaemonHarness.Judge(daemon.Channels.Bound(1))[0]);
        Assert.False(daemon.Channels.IsBound(2));
        Assert.Equal(2, daemon.Notifier.Count("READY=1")); // READY again after the refused reload
    }

    [Fact]
    public async Task AReloadThatAddsAQueue_BindsIt_AndItsRulesRunAtOnce()
    {
        await using var daemon = DaemonHarness.Create("queue { 1 }", Scripts.Files);
        await daemon.StartAsync();

        daemon.WriteConfig("queue { 1 }\nqueue { first = 2, last = 3, rule { \"d\", script = \"drop.lua\" } }");
        ReloadResult reloaded = await daemon.OkAsync<ReloadResult>(new ReloadRequest());

        Assert.Equal([2, 3], reloaded.BoundQueues);
        Assert.Equal(DecisionKind.Drop, DaemonHarness.Judge(daemon.Channels.Bound(2))[0]);
        Assert.Equal(DecisionKind.Drop, DaemonHarness.Judge(daemon.Channels.Bound(3))[0]);
        Assert.Equal([1, 2, 3], (await daemon.StatusAsync()).Queues.Where(q => q.Bound).Select(q => q.Queue));
    }

    [Fact]
    public async Task AReloadThatChangesABoundQueuesSettings_SaysTheyArePendingRestart_InTheAnswerAndInStatus()
    {
        await using var daemon = DaemonHarness.Create("queue { 1, maxlen = 100 }\nqueue { 2 }", Scripts.Files);
        await daemon.StartAsync();

        daemon.WriteConfig("queue { 1, maxlen = 200, fail_open = true }\nqueue { 2 }");
        ReloadResult reloaded = await daemon.OkAsync<ReloadResult>(new ReloadRequest());

        Assert.Equal(["queue 1: maxlen, fail_open"], reloaded.PendingRestart);
        StatusResult status = await daemon.StatusAsync();
        QueueStatus one = status.Queues.Single(q => q.Queue == 1);
        Assert.Equal("maxlen, fail_open", one.PendingRestart);
        Assert.Equal(100, one.MaxLength); // as bound, until a restart
        Assert.Null(status.Queues.Single(q => q.Queue == 2).PendingRestart);

        daemon.WriteConfig("queue { 1, maxlen = 100 }\nqueue { 2 }"); // back as bound: nothing pending
        Assert.Null((await daemon.OkAsync<ReloadResult>(new ReloadRequest())).PendingRestart);
        Assert.Null((await daemon.StatusAsync()).Queues.Single(q => q.Queue == 1).PendingRestart);
    }

    [Fact]
    public async Task AReloadThatDropsAQueue_UnbindsIt_UnlessALoadedRuleUsesIt()
    {
        await using var daemon = DaemonHarness.Create("queue { 1 }\nqueue { 2 }\nqueue { 3 }", Scripts.Files);
        await daemon.StartAsync();
        await daemon.OkAsync<LoadResult>(new LoadRequest("keeps-3", Scripts.Drop, 3));

        daemon.WriteConfig("queue { 1 }");
        ReloadResult reloaded = await daemon.OkAsync<ReloadResult>(new ReloadRequest());

        Assert.Equal([2], reloaded.UnboundQueues);
        Assert.False(daemon.Channels.IsBound(2));
        Assert.Equal(DecisionKind.Drop, DaemonHarness.Judge(daemon.Channels.Bound(3))[0]);
    }

    [Fact]
    public async Task AReloadThatAddsAHeldQueue_ServesTheRest_AndStatusSaysWhy()
    {
        await using var daemon = DaemonHarness.Create("queue { 1 }", Scripts.Files);
        await daemon.StartAsync();
        daemon.Channels.Held[4] = true;

        daemon.WriteConfig("queue { 1 }\nqueue { 4 }\nqueue { 5 }");
        ReloadResult reloaded = await daemon.OkAsync<ReloadResult>(new ReloadRequest());

        Assert.Equal([5], reloaded.BoundQueues);
        Assert.Contains("queue 4: queue 4 is held by another process", Assert.Single(reloaded.NotBound!), StringComparison.Ordinal);
        QueueStatus held = (await daemon.StatusAsync()).Queues.Single(q => q.Queue == 4);
        Assert.False(held.Bound);
        Assert.Contains("held by another process", held.Reason, StringComparison.Ordinal);
    }
}
