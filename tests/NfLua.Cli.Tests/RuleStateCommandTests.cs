using NfLua.Control;

namespace NfLua.Cli.Tests;

/// <summary>What nflua-ctl says about the daemon's rule state: persistence, moves, stuck queues, reloads.</summary>
public sealed class RuleStateCommandTests
{
    [Fact]
    public async Task Load_NoPersist_AsksForARuntimeOnlyRule_AndSaysSo()
    {
        await using var daemon = new FakeDaemon(command => FakeDaemon.Ok(new LoadResult(
            new RuleInfo("web", 3, 1, 1000, 65536, RuleFailureVerdict.Accept), false, RuntimeOnly: ((LoadRequest)command).NoPersist)));
        string script = daemon.Directory.WriteFile("rule.lua", "function filter(pkt) return true end");

        CliRun kept = await daemon.RunAsync("load", "web", script, "--queue", "3");
        CliRun runtimeOnly = await daemon.RunAsync("load", "web", script, "--queue", "3", "--no-persist");

        Assert.Equal([false, true], daemon.Requests.Cast<LoadRequest>().Select(r => r.NoPersist));
        Assert.DoesNotContain("until the daemon restarts", kept.Output, StringComparison.Ordinal);
        Assert.Contains("loaded rule web on queue 3 at position 1 (max-instructions 1000, max-memory 64 KiB, on-error accept), until the daemon restarts", runtimeOnly.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_ThatMovedTheRule_SaysFromWhichQueues_AndPassesTheDaemonsNote()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(new LoadResult(
            new RuleInfo("q", 1, 1, 1000, 65536, RuleFailureVerdict.Accept), true, [0, 2, 3], true, "the configuration defines rule q: this replacement lasts until the next reload or restart")));
        string script = daemon.Directory.WriteFile("rule.lua", "function filter(pkt) return true end");

        CliRun run = await daemon.RunAsync("load", "q", script, "--queue", "1");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.StartsWith("moved rule q from queues 0, 2-3 to queue 1", run.Output, StringComparison.Ordinal);
        Assert.Contains("note: the configuration defines rule q", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unload_OfARangesRule_NamesEveryQueue()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(new UnloadResult("x", 0, [0, 1, 2, 3])));

        CliRun run = await daemon.RunAsync("unload", "x");

        Assert.Equal("unloaded rule x from queues 0-3", run.Output.Trim());
    }

    [Fact]
    public async Task Status_ShowsAStuckQueueWithItsRule_AndSettingsPendingARestart()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(new StatusResult("0.1.0", 1, 10,
        [
            new QueueStatus(1, true, 1024, 65535, false, true, true, false, null, null, null, "maxlen, cpu"),
            new QueueStatus(2, true, 1024, 65535, false, true, true, false, null, null, null, null, 3500, "hostile"),
            new QueueStatus(3, true, 1024, 65535, false, true, true, false, null, null, null, null, 1200),
        ])));

        CliRun run = await daemon.RunAsync("status");

        Assert.Contains("queue 1 pending restart: changed maxlen, cpu apply when nfluad restarts", run.Output, StringComparison.Ordinal);
        Assert.Contains("queue 2 STUCK: its worker has been in rule hostile for 3.5 s", run.Output, StringComparison.Ordinal);
        Assert.Contains("queue 3 STUCK: its worker has been outside the rules for 1.2 s", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_SaysWhatItBound_Unbound_CouldNotBind_AndWhatWaitsForARestart()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(new ReloadResult(3, 4, "/etc/nflua/nfluad.lua", [5, 6], [2], ["queue 7: held by another process"], ["queue 1: maxlen"])));

        CliRun run = await daemon.RunAsync("reload");

        Assert.Equal(
            """
            reloaded /etc/nflua/nfluad.lua: 3 rules on 4 queues
            bound queues 5-6
            unbound queue 2 (no longer configured, no loaded rule on it)
            not bound: queue 7: held by another process
            pending restart: queue 1: maxlen (the queue keeps its bound settings until nfluad restarts)
            """.ReplaceLineEndings(), run.Output.ReplaceLineEndings().TrimEnd());
    }
}
