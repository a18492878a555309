using System.Text.Json;
using System.Text.RegularExpressions;
using NfLua.Control;

namespace NfLua.Cli.Tests;

public sealed class DaemonCommandTests
{
    [Fact]
    public async Task Load_SendsScriptQueueAndLimits_PrintsTheRule()
    {
        await using var daemon = new FakeDaemon(command => command is LoadRequest load
            ? FakeDaemon.Ok(new LoadResult(new RuleInfo(load.Name, load.Queue, 2, load.MaxInstructions ?? 0, load.MaxMemory ?? 0, load.OnError ?? RuleFailureVerdict.Accept, load.ScriptPath), false))
            : FakeDaemon.Fail(ControlErrorName.Unsupported, "unexpected"));
        string script = daemon.Directory.WriteFile("rule.lua", "function filter(pkt) return true end\n");

        CliRun run = await daemon.RunAsync("load", "web", script, "--queue", "3", "--max-instructions", "5000", "--max-memory", "131072", "--on-error", "drop");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        LoadRequest sent = Assert.IsType<LoadRequest>(Assert.Single(daemon.Requests));
        Assert.Equal(new LoadRequest("web", "function filter(pkt) return true end\n", 3, script, 5000, 131072, RuleFailureVerdict.Drop), sent);
        Assert.Contains("loaded rule web on queue 3 at position 2", run.Output, StringComparison.Ordinal);
        Assert.Contains("on-error drop", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_WithoutLimits_LeavesThemToTheDaemon()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(new LoadResult(new RuleInfo("web", 0, 0, 1, 65536, RuleFailureVerdict.Accept), true)));
        string script = daemon.Directory.WriteFile("rule.lua", "function filter(pkt) return true end");

        CliRun run = await daemon.RunAsync("load", "web", script, "-q", "0");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        LoadRequest sent = Assert.IsType<LoadRequest>(Assert.Single(daemon.Requests));
        Assert.Null(sent.MaxInstructions);
        Assert.Null(sent.MaxMemory);
        Assert.Null(sent.OnError);
        Assert.StartsWith("replaced rule web", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_CompileError_PrintsFileAndLineAndExits1()
    {
        await using var daemon = new FakeDaemon(_ => ControlResponse.Failure(0,
            new ControlError(ControlErrorName.CompileError, "unexpected symbol near 'end'", "/rules/bad.lua", 3)));
        string script = daemon.Directory.WriteFile("bad.lua", "function filter(pkt)\n  return\nend end\n");

        CliRun run = await daemon.RunAsync("load", "bad", script, "--queue", "0");

        Assert.Equal(ExitCodes.DaemonError, run.ExitCode);
        Assert.Equal("/rules/bad.lua:3: unexpected symbol near 'end'", run.Error.Trim());
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task Load_CompileErrorWhoseMessageHasTheLocation_DoesNotRepeatIt()
    {
        await using var daemon = new FakeDaemon(_ => ControlResponse.Failure(0,
            new ControlError(ControlErrorName.CompileError, "bad.lua:3: unexpected symbol near 'end'", "bad.lua", 3)));
        string script = daemon.Directory.WriteFile("bad.lua", "x");

        CliRun run = await daemon.RunAsync("load", "bad", script, "--queue", "0");

        Assert.Equal(ExitCodes.DaemonError, run.ExitCode);
        Assert.Equal("bad.lua:3: unexpected symbol near 'end'", run.Error.Trim());
    }

    [Fact]
    public async Task Load_MissingScript_Exits4WithoutCallingTheDaemon()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Fail(ControlErrorName.Internal, "should not be called"));

        CliRun run = await daemon.RunAsync("load", "web", daemon.Directory.File("missing.lua"), "--queue", "0");

        Assert.Equal(ExitCodes.InputError, run.ExitCode);
        Assert.Contains("missing.lua", run.Error, StringComparison.Ordinal);
        Assert.Empty(daemon.Requests);
    }

    [Fact]
    public async Task Unload_UnknownRule_PrintsTheDaemonsMessageAndExits1()
    {
        await using var daemon = new FakeDaemon(command => FakeDaemon.Fail(ControlErrorName.NotFound, $"no rule named {((UnloadRequest)command).Name}"));

        CliRun run = await daemon.RunAsync("unload", "ghost");

        Assert.Equal(ExitCodes.DaemonError, run.ExitCode);
        Assert.Contains("no rule named ghost", run.Error, StringComparison.Ordinal);
        Assert.Contains("NotFound", run.Error, StringComparison.Ordinal);
        Assert.Equal(new UnloadRequest("ghost"), Assert.Single(daemon.Requests));
    }

    [Fact]
    public async Task Unload_KnownRule_PrintsWhatWasRemoved()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(new UnloadResult("web", 4)));

        CliRun run = await daemon.RunAsync("unload", "web");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("unloaded rule web from queue 4", run.Output.Trim());
    }

    [Fact]
    public async Task List_PrintsRulesPerQueueInEvaluationOrder()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(SampleResults.List));

        CliRun run = await daemon.RunAsync("list");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        string[] lines = run.Output.TrimEnd().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("QUEUE", lines[0], StringComparison.Ordinal);
        Assert.Contains("ssh-banner", lines[1], StringComparison.Ordinal);
        Assert.Contains("late-rule", lines[2], StringComparison.Ordinal);
        Assert.Contains("rtp-h263", lines[3], StringComparison.Ordinal);
        Assert.Contains("8 MiB", lines[1], StringComparison.Ordinal);
        Assert.Contains("1,000,000", lines[1], StringComparison.Ordinal);
        Assert.Contains("/etc/nflua/ssh-banner.lua", lines[1], StringComparison.Ordinal);
        Assert.Contains("drop", lines[3], StringComparison.Ordinal);
        // Aligned: every row puts the rule name in the same column.
        Assert.Equal(lines[0].IndexOf("RULE", StringComparison.Ordinal), lines[3].IndexOf("rtp-h263", StringComparison.Ordinal));
    }

    [Fact]
    public async Task List_ShowsEveryMemoryLimitInOneUnitStyle()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(new ListResult(
        [
            new RuleInfo("even", 0, 1, 1_000_000, 8L * 1024 * 1024, RuleFailureVerdict.Accept),
            new RuleInfo("decimal", 0, 2, 1_000_000, 100_000_000, RuleFailureVerdict.Accept),
            new RuleInfo("small", 0, 3, 1_000_000, 65_536, RuleFailureVerdict.Accept),
            new RuleInfo("huge", 0, 4, 1_000_000, 4L * 1024 * 1024 * 1024, RuleFailureVerdict.Accept),
        ])));

        CliRun run = await daemon.RunAsync("list");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        string[] memory = [.. run.Output.TrimEnd().Split('\n').Skip(1).Select(line => Regex.Match(line, @"\s(\S+ [KMG]?i?B)\s").Groups[1].Value)];
        Assert.Equal(["8 MiB", "95.37 MiB", "64 KiB", "4 GiB"], memory);
    }

    [Fact]
    public async Task List_Json_EmitsTheRulesWithStableFieldNames()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(SampleResults.List));

        CliRun run = await daemon.RunAsync("list", "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        JsonElement rules = json.RootElement.GetProperty("rules");
        Assert.Equal(3, rules.GetArrayLength());
        Assert.Equal("ssh-banner", rules[0].GetProperty("name").GetString());
        Assert.Equal(1_000_000, rules[0].GetProperty("maxInstructions").GetInt64());
        Assert.Equal("drop", rules[1].GetProperty("onError").GetString());
        Assert.Equal(1, rules[1].GetProperty("queue").GetInt32());
    }

    [Fact]
    public async Task Stats_PrintsQueueAndRuleCounters()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(SampleResults.Stats));

        CliRun run = await daemon.RunAsync("stats");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("12,345", run.Output, StringComparison.Ordinal);
        Assert.Contains("K-QUEUE-DROPPED", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"\b41\s+42\b", run.Output);
        // 4 ms over 1000 calls: 4 us per call.
        Assert.Contains("4 us", run.Output, StringComparison.Ordinal);
        Assert.Contains("90 us", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_ShowsEachRulesAlertsLogsSuppressedAndDropped_InTextAndJson()
    {
        var rule = new RuleStats("dns", 0, 500, 0, 500, 0, 0, 1000, 10, Alerts: 120, AlertsSuppressed: 380, Logs: 7, LogsSuppressed: 3, EventsDropped: 2);
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(new StatsResult([], [rule])));

        CliRun text = await daemon.RunAsync("stats");
        CliRun json = await daemon.RunAsync("stats", "--json");

        Assert.Contains("ALERTS", text.Output, StringComparison.Ordinal);
        string line = text.Output.Split('\n').Single(l => l.Contains("dns", StringComparison.Ordinal));
        Assert.Matches(@"\s120\s+7\s+383\s+2$", line);
        Assert.Contains("\"alertsSuppressed\": 380", json.Output, StringComparison.Ordinal);
        Assert.Contains("\"eventsDropped\": 2", json.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_RuleWithoutATimedCall_ShowsNoTimeRatherThanZero()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(new StatsResult([], [new RuleStats("fresh", 0, 5, 5, 0, 0, 0, 0, 0)])));

        CliRun run = await daemon.RunAsync("stats");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        string fresh = run.Output.Split('\n').Single(line => line.Contains("fresh", StringComparison.Ordinal));
        Assert.Matches(@"\s5\s+5\s+0\s+0\s+0\s+-\s+-\s+-\s+0\s+0\s+0\s+0$", fresh);
        Assert.DoesNotContain("0 ns", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_Json_CarriesEveryCounter()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(SampleResults.Stats));

        CliRun run = await daemon.RunAsync("stats", "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        JsonElement queue = json.RootElement.GetProperty("queues")[0];
        Assert.Equal(12345, queue.GetProperty("packets").GetInt64());
        Assert.Equal(7, queue.GetProperty("failureVerdicts").GetInt64());
        Assert.Equal(42, queue.GetProperty("kernel").GetProperty("userDropped").GetInt64());
        JsonElement rule = json.RootElement.GetProperty("rules")[0];
        Assert.Equal(1, rule.GetProperty("limitsExceeded").GetInt64());
        Assert.Equal(4_000_000, rule.GetProperty("totalNanoseconds").GetInt64());
    }

    [Fact]
    public async Task Status_PrintsTheDaemonAndEachQueuesSettings()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(SampleResults.Status));

        CliRun run = await daemon.RunAsync("status");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("1.2.3-test", run.Output, StringComparison.Ordinal);
        Assert.Contains("4242", run.Output, StringComparison.Ordinal);
        Assert.Contains("3h 0m 5s", run.Output, StringComparison.Ordinal);
        Assert.Contains("/etc/nflua/nfluad.lua", run.Output, StringComparison.Ordinal);
        string queue7 = run.Output.Split('\n').Single(line => line.TrimStart().StartsWith('7'));
        Assert.Matches(@"^\s*7\s+no\s+2,048\s+128\s+no\s+yes\s+no\s+no\s+-\s+-", queue7);
        // Queue 0's worker is kept on CPU 3: the CPU column, then the kernel's counters.
        string queue0 = run.Output.Split('\n').Single(line => line.TrimStart().StartsWith('0'));
        Assert.Matches(@"\byes\s+3\s+0\s+5\s+6\s*$", queue0);
    }

    [Fact]
    public async Task Status_PrintsMemoryAndGcCounters()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(SampleResults.Status));

        CliRun run = await daemon.RunAsync("status");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Matches(@"resident memory\s+52,428,800 B", run.Output);
        Assert.Matches(@"allocated since start\s+123,456,789 B", run.Output);
        Assert.Matches(@"gc gen0/gen1/gen2\s+11/3/1", run.Output);
    }

    [Fact]
    public async Task Status_Json_CarriesTheRuntimeCounters()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(SampleResults.Status));

        CliRun run = await daemon.RunAsync("status", "--json");

        using JsonDocument json = JsonDocument.Parse(run.Output);
        JsonElement runtime = json.RootElement.GetProperty("runtime");
        Assert.Equal(123_456_789, runtime.GetProperty("allocatedBytes").GetInt64());
        Assert.Equal(1, runtime.GetProperty("gen2Collections").GetInt32());
        Assert.Equal(52_428_800, runtime.GetProperty("residentBytes").GetInt64());
    }

    [Fact]
    public async Task Status_Json_CarriesEveryQueueSetting()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(SampleResults.Status));

        CliRun run = await daemon.RunAsync("status", "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        Assert.Equal(4242, json.RootElement.GetProperty("processId").GetInt32());
        JsonElement queue0 = json.RootElement.GetProperty("queues")[0];
        Assert.True(queue0.GetProperty("failOpen").GetBoolean());
        Assert.True(queue0.GetProperty("conntrackSupported").GetBoolean());
        Assert.Equal(65535, queue0.GetProperty("copyRange").GetInt64());
        Assert.Equal(5, queue0.GetProperty("kernel").GetProperty("queueDropped").GetInt64());
        Assert.Equal(3, queue0.GetProperty("cpu").GetInt32());
    }

    [Fact]
    public async Task Reload_PrintsWhatWasApplied()
    {
        await using var daemon = new FakeDaemon(command => command is ReloadRequest
            ? FakeDaemon.Ok(new ReloadResult(5, 2, "/etc/nflua/nfluad.lua"))
            : FakeDaemon.Fail(ControlErrorName.Unsupported, "unexpected"));

        CliRun run = await daemon.RunAsync("reload");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("reloaded /etc/nflua/nfluad.lua: 5 rules on 2 queues", run.Output.Trim());
    }

    [Fact]
    public async Task Forbidden_Exits1WithTheDaemonsReason()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Fail(ControlErrorName.Forbidden, "uid 1000 is not root"));

        CliRun run = await daemon.RunAsync("status");

        Assert.Equal(ExitCodes.DaemonError, run.ExitCode);
        Assert.Contains("uid 1000 is not root", run.Error, StringComparison.Ordinal);
    }
}
