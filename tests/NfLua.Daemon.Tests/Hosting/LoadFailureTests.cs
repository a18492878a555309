using NfLua.Control;
using NfLua.Engine;

namespace NfLua.Daemon.Tests.Hosting;

/// <summary>A load that cannot be completed changes nothing: the rule it would replace keeps running where it was.</summary>
public sealed class LoadFailureTests
{
    [Fact]
    public async Task LoadOntoAHeldQueue_IsRefused_AndTheReplacedRuleKeepsItsQueue()
    {
        await using var daemon = DaemonHarness.Create("", Scripts.Files);
        await daemon.StartAsync();
        await daemon.OkAsync<LoadResult>(new LoadRequest("r", Scripts.Drop, 5));
        daemon.Channels.Held[6] = true;

        string message = await daemon.RefusedAsync(new LoadRequest("r", Scripts.Pass, 6), ControlErrorName.Unavailable);

        Assert.Contains("rule 'r' not loaded: queue 6 cannot be bound: queue 6 is held by another process", message, StringComparison.Ordinal);
        RuleInfo rule = Assert.Single(await daemon.ListAsync());
        Assert.Equal(5, rule.Queue);
        Assert.Equal(DecisionKind.Drop, DaemonHarness.Judge(daemon.Channels.Bound(5))[0]); // the old rule, still judging
        // No rule uses queue 6 and the configuration does not name it: status has nothing to say about it.
        Assert.DoesNotContain((await daemon.StatusAsync()).Queues, q => q.Queue == 6);
    }

    [Fact]
    public async Task LoadOfABrokenScript_IsACompileError_AndChangesNothing()
    {
        await using var daemon = DaemonHarness.Create("", Scripts.Files);
        await daemon.StartAsync();
        await daemon.OkAsync<LoadResult>(new LoadRequest("r", Scripts.Drop, 5));
        int binds = daemon.Channels.Opened;

        ControlResponse response = await daemon.SendAsync(new LoadRequest("r", "function filter(pkt)\n  return (\nend", 8, "r.lua"));

        Assert.Equal(ControlErrorName.CompileError, response.Error!.Name);
        Assert.Equal(("r.lua", 3), (response.Error.File, response.Error.Line));
        Assert.Equal(binds, daemon.Channels.Opened); // compiled before any queue is touched
        Assert.Equal(5, Assert.Single(await daemon.ListAsync()).Queue);
    }

    [Theory]
    [InlineData("bad name", 1, null, "a rule name is 1-64 letters")]
    [InlineData("ok", 70000, null, "queue 70000 is not a queue number")]
    [InlineData("ok", 1, 10L, "max-instructions must be between 1000")]
    public async Task LoadWithBadArguments_IsABadRequest_AndChangesNothing(string name, int queue, long? maxInstructions, string expected)
    {
        await using var daemon = DaemonHarness.Create("", Scripts.Files);
        await daemon.StartAsync();

        string message = await daemon.RefusedAsync(new LoadRequest(name, Scripts.Pass, queue, MaxInstructions: maxInstructions), ControlErrorName.BadRequest);

        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Empty(await daemon.ListAsync());
        Assert.Equal(0, daemon.Channels.Opened);
    }
}
