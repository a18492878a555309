using Microsoft.Extensions.Logging;
using NfLua.Daemon.Configuration;
using NfLua.Scripting;

namespace NfLua.Daemon.Tests;

/// <summary>The configuration in Lua: read whole, validated whole, every error with its file and line.</summary>
public sealed class ConfigLoaderTests
{
    private const string Path = "/etc/nflua/nfluad.lua";

    [Fact]
    public void Load_AFullConfiguration_ReadsEverySetting()
    {
        ConfigResult result = ConfigLoader.Load("""
            control { socket = "/run/nflua/test.sock", mode = "0600", group = "nflua" }
            logging { level = "debug" }
            defaults { max_instructions = 50000, on_error = "drop" }
            queue { 0, maxlen = 4096, fail_open = true, rcvbuf = 8388608,
              rule { "ssh-banner", script = "rules/ssh.lua" },
              rule { "rtp", script = "/srv/rtp.lua", max_memory = 1048576, on_error = "accept" },
            }
            queue { first = 2, last = 3, copy_range = 128 }
            """, Path);

        Assert.Empty(result.Errors);
        DaemonConfig config = result.Config!;
        Assert.Equal(new ControlConfig { SocketPath = "/run/nflua/test.sock", Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite, Group = "nflua" }, config.Control);
        Assert.Equal(LogLevel.Debug, config.LogLevel);
        Assert.Equal([0, 2, 3], config.Queues.Select(q => (int)q.Number));
        QueueConfig q0 = config.Queues[0];
        Assert.Equal(4096, q0.MaxLength);
        Assert.True(q0.FailOpen);
        Assert.Equal(8388608, q0.ReceiveBufferBytes);
        Assert.Equal(["ssh-banner", "rtp"], q0.Rules.Select(r => r.Name));
        Assert.Equal("/etc/nflua/rules/ssh.lua", q0.Rules[0].ScriptPath);
        Assert.Equal(50000, q0.Rules[0].Limits.MaxInstructions);
        Assert.Equal(ErrorVerdict.Drop, q0.Rules[0].Limits.OnError);
        Assert.Equal(1048576, q0.Rules[1].Limits.MaxMemoryBytes);
        Assert.Equal(ErrorVerdict.Accept, q0.Rules[1].Limits.OnError);
        Assert.Equal(128, config.Queues[2].CopyRange);
        Assert.False(config.Queues[2].FailOpen);
        Assert.Equal($"{Path}:5", q0.Rules[0].DeclaredAt);
    }

    [Fact]
    public void Load_Cpu_PinsAQueueOrARangeRoundRobin()
    {
        ConfigResult result = ConfigLoader.Load("""
            queue { 0, cpu = 0 }
            queue { first = 4, last = 6, cpu = { 0, 0 } }
            queue { 9 }
            """, Path);

        Assert.Empty(result.Errors);
        Assert.Equal([0, 0, 0, 0, null], result.Config!.Queues.Select(q => q.Cpu));
    }

    [Theory]
    [InlineData("queue { 0, cpu = -1 }", "cpu must be an integer from 0 to 1023")]
    [InlineData("queue { 0, cpu = 1023 }", "cpu 1023 is not one nfluad may run on (allowed: ")]
    [InlineData("queue { 0, cpu = \"0\" }", "cpu must be an integer from 0 to 1023")]
    [InlineData("queue { 0, cpu = {} }", "cpu must be a CPU number or a list of them")]
    [InlineData("queue { 0, cpu = { first = 0 } }", "cpu must be a CPU number or a list of them")]
    public void Load_ABadCpu_SaysWhy(string text, string expected)
    {
        ConfigResult result = ConfigLoader.Load(text, Path);

        Assert.Null(result.Config);
        Assert.Contains(result.Errors, e => e.StartsWith($"{Path}:1: {expected}", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ARangeOfQueuesWithRules_IsOneRuleOnEveryQueueOfTheRange()
    {
        // docs/operations.md's example for several queues: the first rule is not the queue's number.
        ConfigResult result = ConfigLoader.Load("""
            queue { first = 0, last = 3, maxlen = 4096, fail_open = true,
              rule { "ssh-banner", script = "rules/ssh-banner.lua" },
              rule { "second", script = "rules/second.lua" },
            }
            queue { 7, rule { "seven", script = "seven.lua" } }
            """, Path);

        Assert.Empty(result.Errors);
        DaemonConfig config = result.Config!;
        Assert.Equal([0, 1, 2, 3, 7], config.Queues.Select(q => (int)q.Number));
        Assert.All(config.Queues.Take(4), q => Assert.Equal(["ssh-banner", "second"], q.Rules.Select(r => r.Name)));
        Assert.Equal(["ssh-banner", "second", "seven"], config.Rules.Select(r => r.Name));
        Assert.Equal([0, 1, 2, 3], config.Rules[0].Queues.Select(q => (int)q));
        Assert.Equal([7], config.Rules[2].Queues.Select(q => (int)q));
    }

    [Theory]
    [InlineData("queue { 1, rule { \"x\", script = \"a.lua\" } }\nqueue { 2, rule { \"x\", script = \"b.lua\" } }", 2, "rule 'x' is already defined at /etc/nflua/nfluad.lua:1")]
    [InlineData("queue { 1, rule { \"x\", script = \"a.lua\" }, rule { \"x\", script = \"a.lua\" } }", 1, "rule 'x' is already defined at /etc/nflua/nfluad.lua:1")]
    [InlineData("queue { first = 1, last = 2, 5 }", 1, "a queue has either a number or first and last, not both")]
    [InlineData("queue { 1, 2 }", 1, "a queue lists its rules as rule { ... } calls")]
    public void Load_ARuleNameDefinedTwice_OrANumberAmongTheRules_IsRefused(string text, int line, string expected)
    {
        ConfigResult result = ConfigLoader.Load(text, Path);

        Assert.Null(result.Config);
        Assert.Contains(result.Errors, e => e.StartsWith($"{Path}:{line}: {expected}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("watchdog { stuck_after_ms = 250 }", 250)]
    [InlineData("-- no watchdog entry", null)]
    public void Load_Watchdog_SetsTheStuckBound(string text, int? expectedMs)
    {
        ConfigResult result = ConfigLoader.Load(text, Path);

        Assert.Empty(result.Errors);
        Assert.Equal(expectedMs, (int?)result.Config!.StuckAfter?.TotalMilliseconds);
    }

    [Theory]
    [InlineData("watchdog { stuck_after_ms = 5 }", "stuck_after_ms must be an integer from 100 to 3600000")]
    [InlineData("watchdog { stuck_after = 500 }", "unknown setting 'stuck_after' in watchdog")]
    public void Load_ABadWatchdog_SaysWhy(string text, string expected)
    {
        ConfigResult result = ConfigLoader.Load(text, Path);

        Assert.Null(result.Config);
        Assert.Contains(result.Errors, e => e.StartsWith($"{Path}:1: {expected}", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_AnEmptyFile_GivesTheDefaults()
    {
        ConfigResult result = ConfigLoader.Load("-- nothing\n", Path);
        Assert.Empty(result.Errors);
        Assert.Equal(DaemonConfig.DefaultSocketPath, result.Config!.Control.SocketPath);
        Assert.Empty(result.Config.Queues);
    }

    [Fact]
    public void Load_ManyMistakes_ReportsEachWithItsLine()
    {
        ConfigResult result = ConfigLoader.Load("""
            control { socket = "relative.sock", mode = "0666" }
            queue { 70000 }
            queue { 1, maxlen = 0, colour = "blue",
              rule { "bad name!", script = "x.lua", on_error = "explode" },
            }
            queue { 1 }
            """, Path);

        Assert.Null(result.Config);
        Assert.Contains($"{Path}:1: socket must be an absolute path", result.Errors);
        Assert.Contains(result.Errors, e => e.StartsWith($"{Path}:1: mode must be an octal string without permissions for others", StringComparison.Ordinal));
        Assert.Contains($"{Path}:2: number must be an integer from 0 to 65535", result.Errors);
        Assert.Contains($"{Path}:3: maxlen must be an integer from 1 to 1048576", result.Errors);
        Assert.Contains(result.Errors, e => e.StartsWith($"{Path}:3: unknown setting 'colour'", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith($"{Path}:4: a rule needs a name", StringComparison.Ordinal));
        Assert.Contains($"{Path}:4: on_error must be \"accept\" or \"drop\"", result.Errors);
        Assert.Contains($"{Path}: queue 1 is configured more than once", result.Errors);
    }

    [Theory]
    [InlineData("queue { 0 ", ":1:")]
    [InlineData("x = 1.5", "integer-only: 1.5 is not a number here (scale it: 15 tenths)")]
    [InlineData("\n\nerror('custom')", ":3: custom")]
    [InlineData("queue(42)", "queue expects a table")]
    public void Load_BrokenLua_ReportsTheLine(string text, string expected)
    {
        ConfigResult result = ConfigLoader.Load(text, Path);
        Assert.Null(result.Config);
        string error = Assert.Single(result.Errors);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.StartsWith(Path, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("io.open('/etc/passwd')")]
    [InlineData("os.execute('true')")]
    [InlineData("luanet.import_type('System.IO.File')")]
    [InlineData("require('os')")]
    [InlineData("load('return 1')")]
    [InlineData("debug.getinfo(1)")]
    public void Load_CannotReachAnythingButTheConfiguration(string text)
    {
        ConfigResult result = ConfigLoader.Load(text, Path);
        Assert.Null(result.Config);
        Assert.Contains("attempt to", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_Missing_SaysSo()
    {
        ConfigResult result = ConfigLoader.LoadFile("/nonexistent/nfluad.lua");
        Assert.Contains("cannot read the configuration", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("while true do end")]
    [InlineData("queue { 0 } while true do pcall(function() while true do end end) end")]
    [InlineData("local function f() return f() end f()")]
    [InlineData("coroutine.wrap(function() repeat until false end)()")]
    public void Load_ALoopThatNeverEnds_StopsAtTheBudgetAndAppliesNothing(string text)
    {
        ConfigResult result = ConfigLoader.Load(text, Path, maxInstructions: 100_000);
        Assert.Null(result.Config);
        Assert.Equal($"{Path}: the configuration did not finish within 100000 instructions", Assert.Single(result.Errors));
    }

    [Fact]
    public void Load_ALoopWithinTheBudget_Runs()
    {
        ConfigResult result = ConfigLoader.Load("local n = 0 for i = 1, 10000 do n = n + i end queue { n % 7 }", Path, maxInstructions: 100_000);
        Assert.Empty(result.Errors);
        Assert.Equal([50005000 % 7], result.Config!.Queues.Select(q => (int)q.Number));
    }

    [Fact]
    public void Load_TheDefaultBudget_StopsAnEndlessFileAndLoadsAgainAfterwards()
    {
        ConfigResult hung = ConfigLoader.Load("while true do end", Path);
        Assert.Equal($"{Path}: the configuration did not finish within {ConfigLoader.MaxInstructions} instructions", Assert.Single(hung.Errors));
        for (int i = 0; i < 3; i++)
        {
            Assert.Empty(ConfigLoader.Load("queue { 1 }", Path).Errors);
        }
    }

    [Fact]
    public void Load_SetsModulesParamsAndCompileLimits_AreRead_PathsRelativeToTheFile()
    {
        ConfigResult result = ConfigLoader.Load("""
            set { "bad-nets", kind = "cidr", file = "lists/bad-nets.txt", max_memory = 1048576 }
            set { "names", kind = "domain", file = "/srv/names.txt" }
            module { "dns", file = "lib/dns.lua" }
            defaults { compile_time_ms = 3000 }
            queue { 0, rule { "guard", script = "g.lua", params = { ports = { 22, 2222 }, mode = "strict", log = { on = true } }, compile_instructions = 5000000 } }
            """, Path);

        Assert.Empty(result.Errors);
        DaemonConfig config = result.Config!;
        Assert.Equal(new SetConfig("bad-nets", NfLua.Packets.Sets.SetKind.Cidr, "/etc/nflua/lists/bad-nets.txt", 1048576, $"{Path}:1"), config.Sets[0]);
        Assert.Equal(("names", SetConfig.DefaultMaxMemoryBytes), (config.Sets[1].Name, config.Sets[1].MaxMemoryBytes));
        Assert.Equal(new ModuleConfig("dns", "/etc/nflua/lib/dns.lua", $"{Path}:3"), Assert.Single(config.Modules));
        RuleConfig rule = config.Rules[0];
        Assert.Equal((5_000_000L, TimeSpan.FromSeconds(3)), (rule.Limits.MaxCompileInstructions, rule.Limits.MaxCompileTime));
        Assert.Equal("strict", rule.Params!.Values["mode"]);
        Assert.Equal([22L, 2222L], (IEnumerable<object>)rule.Params.Values["ports"]);
    }

    [Theory]
    [InlineData("params = { f = function() end }", ":2: rule 'r': params.f is a function: parameters are strings, integers, booleans and tables of them")]
    [InlineData("params = { list = { 1, 2, x = 3 } }", ":2: rule 'r': params.list mixes a list and named keys")]
    [InlineData("params = { deep = { inner = { queue } } }", ":2: rule 'r': params.deep.inner[1] is a function")]
    [InlineData("params = 5", ":2: rule 'r': params must be a table of named values")]
    [InlineData("params = { 1, 2 }", ":2: rule 'r': params take named values")]
    [InlineData("compile_time_ms = 0", ":2: compile_time_ms must be an integer from 1 to 60000")]
    [InlineData("compile_instructions = 10", ":2: compile_instructions must be an integer from 1000 to 1000000000000")]
    public void Load_BadRuleSettings_AreOneErrorWithFileLineAndKey(string setting, string expected)
    {
        ConfigResult result = ConfigLoader.Load($"queue {{ 0,\n  rule {{ \"r\", script = \"r.lua\", {setting} }} }}", Path);

        Assert.Null(result.Config);
        Assert.Contains(result.Errors, e => e.StartsWith(Path, StringComparison.Ordinal) && e.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("set { \"s\", kind = \"ip\", file = \"x.txt\" }", ":1: set 's' needs kind = \"cidr\", \"domain\" or \"string\"")]
    [InlineData("set { \"s\", kind = \"cidr\" }", ":1: set 's' needs file = ")]
    [InlineData("set { kind = \"cidr\", file = \"x\" }", ":1: a set needs a name")]
    [InlineData("set { \"s\", kind = \"cidr\", file = \"x\", max_memory = 10 }", ":1: max_memory must be an integer from 65536")]
    [InlineData("set { \"s\", kind = \"cidr\", file = \"x\", size = 1 }", ":1: unknown setting 'size' in set")]
    [InlineData("set { \"s\", kind = \"cidr\", file = \"x\" }\nset { \"s\", kind = \"cidr\", file = \"y\" }", ":2: set 's' is already defined at")]
    [InlineData("module { \"dns\" }", ":1: module 'dns' needs file = ")]
    [InlineData("module { \"nflua\", file = \"x.lua\" }", ":1: module 'nflua': the name is NfLua's own module's")]
    public void Load_BadSetsAndModules_AreErrorsWithFileAndLine(string text, string expected)
    {
        ConfigResult result = ConfigLoader.Load(text, Path);

        Assert.Null(result.Config);
        Assert.Contains(result.Errors, e => e.StartsWith(Path, StringComparison.Ordinal) && e.Contains(expected, StringComparison.Ordinal));
    }
    [Fact]
    public void Metrics_FileRelativeToTheConfiguration_AndItsInterval()
    {
        ConfigResult result = ConfigLoader.Load("metrics { file = \"nflua.prom\", interval_s = 30 }", Path);

        Assert.Empty(result.Errors);
        Assert.Equal(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, "nflua.prom"), result.Config!.Metrics!.File);
        Assert.Equal(TimeSpan.FromSeconds(30), result.Config.Metrics.Interval);
    }

    [Theory]
    [InlineData("metrics { interval_s = 15 }", "metrics needs file =")]
    [InlineData("metrics { file = \"m.prom\", interval_s = 0 }", "interval_s")]
    [InlineData("metrics { file = \"m.prom\", every = 5 }", "unknown setting 'every'")]
    public void Metrics_BadSettings_AreErrorsWithTheLine(string text, string expected)
    {
        ConfigResult result = ConfigLoader.Load(text, Path);

        Assert.Null(result.Config);
        Assert.Contains(result.Errors, e => e.StartsWith($"{Path}:1: ", StringComparison.Ordinal) && e.Contains(expected, StringComparison.Ordinal));
    }
    [Fact]
    public void RuleMode_MonitorOrEnforce_AnythingElseIsAnError()
    {
        ConfigResult good = ConfigLoader.Load("queue { 0, rule { \"a\", script = \"a.lua\", mode = \"monitor\" }, rule { \"b\", script = \"b.lua\", mode = \"enforce\" } }", Path);
        ConfigResult bad = ConfigLoader.Load("queue { 0, rule { \"a\", script = \"a.lua\", mode = \"watch\" } }", Path);

        Assert.Empty(good.Errors);
        Assert.Equal([true, false], good.Config!.Rules.Select(r => r.Monitor));
        Assert.Contains($"{Path}:1: rule 'a': mode must be \"enforce\" (the default) or \"monitor\"", bad.Errors);
    }
}
