using System.Text.Json;
using NfLua.Control;
using NfLua.Daemon.Tests.Queues;
using NfLua.Engine;

namespace NfLua.Daemon.Tests.Hosting;

/// <summary>
/// The configuration's sets, modules and params reach rules; sets change at run time (add, del, load) whole or not at
/// all, survive restarts, and are read again by reloads; params and compile limits given to load are kept with the rule.
/// </summary>
public sealed class SetsAndParamsTests : IDisposable
{
    // Drops packets whose source is in the set the params name; the verdict comes from a trusted module.
    private const string SetRule = """
        local policy = require "policy"
        local bad = nflua.set(nflua.params.set)
        function filter(pkt) return policy.verdict(bad:contains(pkt, "src")) end
        """;

    private const string Config = """
        set { "bad-nets", kind = "cidr", file = "lists/bad-nets.txt" }
        module { "policy", file = "lib/policy.lua" }
        queue { 1, rule { "blocklist", script = "set-rule.lua", params = { set = "bad-nets", ports = { 22, 2222 } }, compile_instructions = 200000 } }
        """;

    private readonly string _state = Directory.CreateTempSubdirectory("nfluad-sets-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public async Task ARuleSeesTheConfiguredSet_ModuleAndParams_AndSetListReportsTheSet()
    {
        await using DaemonHarness daemon = Create();
        await daemon.StartAsync();

        Assert.Equal([DecisionKind.Drop, DecisionKind.Accept], Judge(daemon, "10.1.2.3", "192.0.2.1"));
        SetInfo set = Assert.Single((await daemon.OkAsync<SetListResult>(new SetListRequest())).Sets);
        Assert.Equal(("bad-nets", "cidr", 2, "file", Path.Combine(daemon.Directory, "lists", "bad-nets.txt")), (set.Name, set.Kind, set.Entries, set.Source, set.File));
        Assert.True(set.MemoryBytes > 0);
        RuleInfo rule = Assert.Single(await daemon.ListAsync());
        Assert.Equal(200000, rule.CompileInstructions);
        JsonElement parameters = rule.Params!.Value;
        Assert.Equal("bad-nets", parameters.GetProperty("set").GetString());
        Assert.Equal([22L, 2222L], parameters.GetProperty("ports").EnumerateArray().Select(p => p.GetInt64()));
    }

    [Fact]
    public async Task SetAddDelLoad_ChangeWhatRulesSee_AndBadInputChangesNothing()
    {
        await using DaemonHarness daemon = Create();
        await daemon.StartAsync();

        SetChangeResult added = await daemon.OkAsync<SetChangeResult>(new SetAddRequest("bad-nets", ["192.0.2.0/24", "2001:db8::/32"]));
        Assert.Equal((1, "nflua-ctl", true), (added.Changed, added.Set.Source, added.Persisted)); // 2001:db8::/32 was there
        Assert.Equal([DecisionKind.Drop, DecisionKind.Drop], Judge(daemon, "192.0.2.1", "10.1.2.3"));

        await daemon.OkAsync<SetChangeResult>(new SetDelRequest("bad-nets", ["10.0.0.0/8"]));
        Assert.Equal([DecisionKind.Accept, DecisionKind.Drop], Judge(daemon, "10.1.2.3", "192.0.2.1"));

        // One bad value, a value that is not an entry, a malformed file, a set over its memory: each refused, nothing changes.
        string bad = await daemon.RefusedAsync(new SetAddRequest("bad-nets", ["198.51.100.0/24", "10.0.0.300"]), ControlErrorName.BadRequest);
        Assert.Contains("value 2: '10.0.0.300' is not a network", bad, StringComparison.Ordinal);
        string absent = await daemon.RefusedAsync(new SetDelRequest("bad-nets", ["203.0.113.0/24"]), ControlErrorName.BadRequest);
        Assert.Contains("203.0.113.0/24 is not an entry of set bad-nets", absent, StringComparison.Ordinal);
        string malformed = await daemon.RefusedAsync(new SetLoadRequest("bad-nets", "198.51.100.0/24\n# comment\nnot-a-net\n", "new.txt"), ControlErrorName.BadRequest);
        Assert.Contains("new.txt:3: 'not-a-net' is not a network", malformed, StringComparison.Ordinal);
        string unknown = await daemon.RefusedAsync(new SetAddRequest("nope", ["10.0.0.0/8"]), ControlErrorName.NotFound);
        Assert.Contains("no set named 'nope' (defined: bad-nets", unknown, StringComparison.Ordinal);
        Assert.Equal([DecisionKind.Accept, DecisionKind.Drop, DecisionKind.Accept], Judge(daemon, "198.51.100.1", "192.0.2.1", "10.1.2.3"));
        Assert.Equal(["192.0.2.0/24", "2001:db8::/32"], (await daemon.OkAsync<SetShowResult>(new SetShowRequest("bad-nets"))).Entries);

        // A load replaces the contents whole.
        SetChangeResult loaded = await daemon.OkAsync<SetChangeResult>(new SetLoadRequest("bad-nets", "198.51.100.0/24\n", "new.txt"));
        Assert.Equal(1, loaded.Set.Entries);
        Assert.Equal([DecisionKind.Drop, DecisionKind.Accept], Judge(daemon, "198.51.100.1", "192.0.2.1"));
    }

    [Fact]
    public async Task ASetOverItsMaxMemory_IsRefused_NamingTheLimitAndHowToRaiseIt()
    {
        await using DaemonHarness daemon = Create(Config.Replace("file = \"lists/bad-nets.txt\" }", "file = \"lists/bad-nets.txt\", max_memory = 65536 }", StringComparison.Ordinal));
        await daemon.StartAsync();
        string many = string.Join("\n", Enumerable.Range(0, 4000).Select(i => $"10.{i / 256}.{i % 256}.0/24"));

        // Adjacent /24s merge into few ranges: make them disjoint so that the set really grows.
        many = string.Join("\n", Enumerable.Range(0, 4000).Select(i => $"{1 + (i / 250)}.{i % 250}.0.0/24"));
        string refused = await daemon.RefusedAsync(new SetLoadRequest("bad-nets", many, "big.txt"), ControlErrorName.BadRequest);

        Assert.Contains("over its limit of 65536 (raise max_memory in the set's entry)", refused, StringComparison.Ordinal);
        Assert.Equal(2, Assert.Single((await daemon.OkAsync<SetListResult>(new SetListRequest())).Sets).Entries);
    }

    [Fact]
    public async Task RunTimeSetChanges_SurviveARestartAndAReload_UntilSetLoadReadsTheFileAgain()
    {
        await using (DaemonHarness first = Create())
        {
            await first.StartAsync();
            await first.OkAsync<SetChangeResult>(new SetAddRequest("bad-nets", ["192.0.2.0/24"]));
        }

        Assert.Contains("192.0.2.0/24", File.ReadAllText(Path.Combine(_state, "sets.json")), StringComparison.Ordinal);
        await using DaemonHarness second = Create();
        await second.StartAsync();
        Assert.Equal([DecisionKind.Drop, DecisionKind.Drop], Judge(second, "192.0.2.1", "10.1.2.3"));
        Assert.True(second.Logs.Contains("restored 3 entries changed at run time"), second.Logs.Text);

        await second.OkAsync<ReloadResult>(new ReloadRequest());
        Assert.Equal([DecisionKind.Drop], Judge(second, "192.0.2.1"));

        SetChangeResult reread = await second.OkAsync<SetChangeResult>(new SetLoadRequest("bad-nets"));
        Assert.Equal(("file", false), (reread.Set.Source, reread.Persisted));
        Assert.Equal([DecisionKind.Accept, DecisionKind.Drop], Judge(second, "192.0.2.1", "10.1.2.3"));
        Assert.False(File.Exists(Path.Combine(_state, "sets.json")));
    }

    [Fact]
    public async Task AReload_ReadsSetFilesAndModulesAgain_AllOrNothing()
    {
        await using DaemonHarness daemon = Create();
        await daemon.StartAsync();
        string list = Path.Combine(daemon.Directory, "lists", "bad-nets.txt");

        // A malformed line: refused with its file and line, the old contents stay.
        File.WriteAllText(list, "192.0.2.0/24\n10.0.0.0/33\n");
        string message = await daemon.RefusedAsync(new ReloadRequest(), ControlErrorName.BadRequest);
        Assert.Contains($"{list}:2: '10.0.0.0/33' is not a network", message, StringComparison.Ordinal);
        Assert.Equal([DecisionKind.Drop, DecisionKind.Accept], Judge(daemon, "10.1.2.3", "192.0.2.1"));

        // A rule asking for a set nobody defined: a compile error, nothing changes.
        File.WriteAllText(list, "192.0.2.0/24\n");
        daemon.WriteConfig(Config.Replace("set = \"bad-nets\"", "set = \"nope\"", StringComparison.Ordinal));
        message = await daemon.RefusedAsync(new ReloadRequest(), ControlErrorName.BadRequest);
        Assert.Contains("unknown set 'nope' (defined: bad-nets)", message, StringComparison.Ordinal);
        Assert.Equal([DecisionKind.Drop], Judge(daemon, "10.1.2.3"));

        // A good file and a changed module: both in force at once.
        daemon.WriteConfig(Config);
        File.WriteAllText(Path.Combine(daemon.Directory, "lib", "policy.lua"), "return { verdict = function(hit) return hit and 'accept' or false end }");
        await daemon.OkAsync<ReloadResult>(new ReloadRequest());
        Assert.Equal([DecisionKind.Accept, DecisionKind.Drop], Judge(daemon, "192.0.2.1", "10.1.2.3"));
    }

    [Fact]
    public async Task LoadWithParamsAndCompileLimits_KeepsThemAcrossARestart_AndBadParamsAreRefused()
    {
        JsonElement parameters = JsonDocument.Parse("{\"set\":\"bad-nets\",\"deep\":{\"on\":true,\"ports\":[22,-1]}}").RootElement.Clone();
        await using (DaemonHarness first = Create())
        {
            await first.StartAsync();
            await first.OkAsync<LoadResult>(new LoadRequest("second", SetRule, 2, Params: parameters, CompileInstructions: 300000, CompileTimeMs: 1500));
            string bad = await first.RefusedAsync(new LoadRequest("bad", SetRule, 2, Params: JsonDocument.Parse("{\"set\":\"bad-nets\",\"rate\":2.5}").RootElement.Clone()), ControlErrorName.BadRequest);
            Assert.Contains("params.rate is not an integer", bad, StringComparison.Ordinal);
            string unknownSet = await first.RefusedAsync(new LoadRequest("bad", SetRule, 2, Params: JsonDocument.Parse("{\"set\":\"nope\"}").RootElement.Clone()), ControlErrorName.CompileError);
            Assert.Contains("unknown set 'nope'", unknownSet, StringComparison.Ordinal);
        }

        await using DaemonHarness second = Create();
        await second.StartAsync();
        RuleInfo rule = (await second.ListAsync()).Single(r => r.Name == "second");
        Assert.Equal((300000L, 1500L), (rule.CompileInstructions, rule.CompileTimeMs));
        Assert.Equal(parameters.GetRawText(), rule.Params!.Value.GetRawText());
        Assert.DoesNotContain(await second.ListAsync(), r => r.Name == "bad");
        Assert.Equal([DecisionKind.Drop], Judge(second, "10.1.2.3", queue: 2));
    }

    [Fact]
    public async Task AMainChunkOverItsCompileBudget_IsRefused_NamingTheLimitAndTheOption()
    {
        await using DaemonHarness daemon = Create();
        await daemon.StartAsync();

        string message = await daemon.RefusedAsync(
            new LoadRequest("slow", "local n = 0\nfor i = 1, 100000 do n = n + i end\nfunction filter(pkt) return true end", 2, CompileInstructions: 10000),
            ControlErrorName.CompileError);

        Assert.Contains("slow.lua:2:", message, StringComparison.Ordinal);
        Assert.Contains("compile budget (10000 instructions; raise it with compile_instructions or --compile-instructions)", message, StringComparison.Ordinal);
    }

    private DaemonHarness Create(string config = Config)
    {
        DaemonHarness daemon = DaemonHarness.Create(config, new Dictionary<string, string> { ["set-rule.lua"] = SetRule }, _state);
        Directory.CreateDirectory(Path.Combine(daemon.Directory, "lists"));
        Directory.CreateDirectory(Path.Combine(daemon.Directory, "lib"));
        File.WriteAllText(Path.Combine(daemon.Directory, "lists", "bad-nets.txt"), "# blocked networks\n10.0.0.0/8\n2001:db8::/32   # documentation\n");
        File.WriteAllText(Path.Combine(daemon.Directory, "lib", "policy.lua"), "return { verdict = function(hit) if hit then return false end return 'accept' end }");
        return daemon;
    }

    /// <summary>The verdicts of IPv4 packets from each source address on <paramref name="queue"/>.</summary>
    private static List<DecisionKind> Judge(DaemonHarness daemon, params string[] sources) => Judge(daemon, sources, 1);

    private static List<DecisionKind> Judge(DaemonHarness daemon, string source, ushort queue) => Judge(daemon, [source], queue);

    private static List<DecisionKind> Judge(DaemonHarness daemon, string[] sources, ushort queue)
    {
        FakeQueueChannel channel = daemon.Channels.Bound(queue);
        uint[] ids = [.. sources.Select(s => channel.Push(Ipv4From(s)))];
        DaemonHarness.WaitUntil(() => ids.All(channel.Verdicts.ContainsKey), "verdicts");
        return [.. ids.Select(id => channel.Verdicts[id].Kind)];
    }

    private static byte[] Ipv4From(string source)
    {
        byte[] packet = new byte[20];
        packet[0] = 0x45;
        packet[3] = 20;
        packet[8] = 64;
        packet[9] = 17;
        System.Net.IPAddress.Parse(source).GetAddressBytes().CopyTo(packet, 12);
        new byte[] { 192, 0, 2, 200 }.CopyTo(packet, 16);
        return packet;
    }
}
