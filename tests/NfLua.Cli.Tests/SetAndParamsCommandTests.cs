using System.Text.Json;
using NfLua.Control;

namespace NfLua.Cli.Tests;

/// <summary><c>set list/show/add/del/load</c>, <c>load --param/--params/--compile-*</c>, and requests too large for a frame.</summary>
public sealed class SetAndParamsCommandTests
{
    private static readonly SetInfo s_set = new("bad-nets", "cidr", 2, 16, 268435456, "/etc/nflua/lists/bad-nets.txt", "file");

    [Fact]
    public async Task SetList_PrintsEachSet_AndJsonKeepsTheFields()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(new SetListResult([s_set])));

        CliRun table = await daemon.RunAsync("set", "list");
        CliRun json = await daemon.RunAsync("set", "list", "--json");

        Assert.Equal(ExitCodes.Success, table.ExitCode);
        Assert.Contains("bad-nets", table.Output, StringComparison.Ordinal);
        Assert.Contains("cidr", table.Output, StringComparison.Ordinal);
        Assert.Contains("256 MiB", table.Output, StringComparison.Ordinal);
        using JsonDocument document = JsonDocument.Parse(json.Output);
        JsonElement set = document.RootElement.GetProperty("sets")[0];
        Assert.Equal(("bad-nets", 2, 16L, "file"), (set.GetProperty("name").GetString(), set.GetProperty("entries").GetInt32(), set.GetProperty("memoryBytes").GetInt64(), set.GetProperty("source").GetString()));
    }

    [Fact]
    public async Task SetShow_SendsTheLimit_PrintsOneEntryPerLine()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(new SetShowResult(s_set, ["10.0.0.0/8", "192.0.2.0/24"], Truncated: true)));

        CliRun run = await daemon.RunAsync("set", "show", "bad-nets", "--limit", "2");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(new SetShowRequest("bad-nets", 2), Assert.Single(daemon.Requests));
        Assert.Equal("10.0.0.0/8\n192.0.2.0/24\n", run.Output.ReplaceLineEndings("\n"));
        Assert.Contains("2 of the set's entries printed", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetAddAndDel_SendEveryValue()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(new SetChangeResult(s_set with { Source = "nflua-ctl" }, 2, true)));

        CliRun add = await daemon.RunAsync("set", "add", "bad-nets", "203.0.113.0/24", "2001:db8::/32");
        CliRun del = await daemon.RunAsync("set", "del", "bad-nets", "203.0.113.0/24", "--json");

        Assert.Equal((ExitCodes.Success, ExitCodes.Success), (add.ExitCode, del.ExitCode));
        ControlCommand[] sent = [.. daemon.Requests];
        Assert.Equal(["203.0.113.0/24", "2001:db8::/32"], Assert.IsType<SetAddRequest>(sent[0]).Values);
        Assert.Equal(["203.0.113.0/24"], Assert.IsType<SetDelRequest>(sent[1]).Values);
        Assert.StartsWith("added 2 entries to set bad-nets", add.Output, StringComparison.Ordinal);
        Assert.Equal(2, JsonDocument.Parse(del.Output).RootElement.GetProperty("changed").GetInt32());
    }

    [Fact]
    public async Task SetLoad_SendsTheFilesText_OrNothingToReadTheConfiguredFileAgain()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(new SetChangeResult(s_set, 2, true)));
        string file = daemon.Directory.WriteFile("nets.txt", "10.0.0.0/8\n192.0.2.0/24\n");

        CliRun withFile = await daemon.RunAsync("set", "load", "bad-nets", file);
        CliRun again = await daemon.RunAsync("set", "load", "bad-nets");

        Assert.Equal((ExitCodes.Success, ExitCodes.Success), (withFile.ExitCode, again.ExitCode));
        ControlCommand[] sent = [.. daemon.Requests];
        Assert.Equal(new SetLoadRequest("bad-nets", "10.0.0.0/8\n192.0.2.0/24\n", file), sent[0]);
        Assert.Equal(new SetLoadRequest("bad-nets"), sent[1]);
    }

    [Fact]
    public async Task SetLoad_MalformedFile_PrintsTheDaemonsFileAndLine_Exits1()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Fail(ControlErrorName.BadRequest, "set bad-nets unchanged: nets.txt:2: '10.0.0.300' is not a network"));
        string file = daemon.Directory.WriteFile("nets.txt", "10.0.0.0/8\n10.0.0.300\n");

        CliRun run = await daemon.RunAsync("set", "load", "bad-nets", file);

        Assert.Equal(ExitCodes.DaemonError, run.ExitCode);
        Assert.Contains("nets.txt:2: '10.0.0.300' is not a network", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_ParamsAndCompileLimits_AreSent_IntegersAndBooleansTyped_ParamOverridingTheFile()
    {
        await using var daemon = new FakeDaemon(command => FakeDaemon.Ok(new LoadResult(new RuleInfo("guard", 0, 1, 1000, 65536, RuleFailureVerdict.Accept), false)));
        string script = daemon.Directory.WriteFile("rule.lua", "function filter(pkt) return true end");
        string parameters = daemon.Directory.WriteFile("params.lua", "local p = { 22 }\nfor i = 2, 3 do p[i] = 2220 + i end\nreturn { ports = p, mode = 'lax', deep = { on = true } }\n");

        CliRun run = await daemon.RunAsync(
            "load", "guard", script, "-q", "0", "--params", parameters, "--param", "mode=strict", "--param", "limit=-5", "--param", "log=false",
            "--compile-instructions", "5000000", "--compile-time", "2500");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        LoadRequest sent = Assert.IsType<LoadRequest>(Assert.Single(daemon.Requests));
        Assert.Equal((5_000_000L, 2500L), (sent.CompileInstructions, sent.CompileTimeMs));
        JsonElement p = sent.Params!.Value;
        Assert.Equal("strict", p.GetProperty("mode").GetString());
        Assert.Equal(-5, p.GetProperty("limit").GetInt64());
        Assert.Equal(JsonValueKind.False, p.GetProperty("log").ValueKind);
        Assert.Equal([22L, 2222L, 2223L], p.GetProperty("ports").EnumerateArray().Select(e => e.GetInt64()));
        Assert.True(p.GetProperty("deep").GetProperty("on").GetBoolean());
    }

    [Theory]
    [InlineData("return { f = function() end }", "params.f is a function")]
    [InlineData("return { a = { 1, x = 2 } }", "params.a[1] mixes a list and names")]
    [InlineData("return 5", "must return a table")]
    [InlineData("while true do end", "ran out of its budget")]
    [InlineData("return io.open('/etc/passwd')", "attempt to index a nil value")]
    [InlineData("return {", "expected")]
    public async Task Load_BadParamsFile_IsOneErrorNamingIt_Exits4_AndNothingIsSent(string text, string expected)
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Fail(ControlErrorName.Internal, "should not be called"));
        string script = daemon.Directory.WriteFile("rule.lua", "function filter(pkt) return true end");
        string parameters = daemon.Directory.WriteFile("params.lua", text);

        CliRun run = await daemon.RunAsync("load", "guard", script, "-q", "0", "--params", parameters);

        Assert.Equal(ExitCodes.InputError, run.ExitCode);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
        Assert.StartsWith("nflua-ctl: load: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("params.lua", run.Error, StringComparison.Ordinal);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.Empty(daemon.Requests);
    }

    [Fact]
    public async Task Load_ParamWithoutEquals_IsRefused()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Fail(ControlErrorName.Internal, "should not be called"));
        string script = daemon.Directory.WriteFile("rule.lua", "function filter(pkt) return true end");

        CliRun run = await daemon.RunAsync("load", "guard", script, "-q", "0", "--param", "port");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode); // checked while parsing, as test's --param is
        Assert.Contains("--param takes key=value, not 'port'", run.Error, StringComparison.Ordinal);
        Assert.Empty(daemon.Requests);
    }

    [Fact]
    public async Task Load_CompileLimitOutOfRange_IsAUsageErrorNamingTheOption()
    {
        CliRun run = await CliRun.RunAsync("load", "x", "x.lua", "-q", "0", "--compile-time", "0");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("--compile-time must be between 1 and 60000, not 0", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_AScriptOverTheFrameLimit_IsRefusedBeforeSending_A4MiBScriptIsSent()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(new LoadResult(new RuleInfo("big", 0, 1, 1000, 65536, RuleFailureVerdict.Accept), false)));
        string line = "-- " + new string('x', 1020) + "\n";
        string huge = daemon.Directory.WriteFile("huge.lua", string.Concat(Enumerable.Repeat(line, 17 * 1024)));
        string big = daemon.Directory.WriteFile("big.lua", string.Concat(Enumerable.Repeat(line, 4 * 1024)) + "function filter(pkt) return true end\n");

        CliRun refused = await daemon.RunAsync("load", "huge", huge, "-q", "0");
        CliRun sent = await daemon.RunAsync("load", "big", big, "-q", "0");

        Assert.Equal(ExitCodes.InputError, refused.ExitCode);
        Assert.Matches(@"^nflua-ctl: load: script too large \(\d+ > 16777216 bytes", refused.Error);
        Assert.Equal(ExitCodes.Success, sent.ExitCode);
        Assert.Equal(4 * 1024 * 1024 + 37, Assert.IsType<LoadRequest>(Assert.Single(daemon.Requests)).Script.Length);
    }

    [Fact]
    public async Task List_ShowsTheParams()
    {
        JsonElement parameters = JsonDocument.Parse("{\"port\":22}").RootElement.Clone();
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(new ListResult([new RuleInfo("guard", 0, 1, 1000, 65536, RuleFailureVerdict.Accept, "g.lua", "nflua-ctl", 100000, 1000, parameters)])));

        CliRun run = await daemon.RunAsync("list");
        CliRun json = await daemon.RunAsync("list", "--json");

        Assert.Contains("{\"port\":22}", run.Output, StringComparison.Ordinal);
        JsonElement rule = JsonDocument.Parse(json.Output).RootElement.GetProperty("rules")[0];
        Assert.Equal((100000L, 1000L, 22L), (rule.GetProperty("compileInstructions").GetInt64(), rule.GetProperty("compileTimeMs").GetInt64(), rule.GetProperty("params").GetProperty("port").GetInt64()));
    }
}
