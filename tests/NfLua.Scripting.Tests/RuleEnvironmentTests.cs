using System.Text;
using NfLua.Packets;
using NfLua.Packets.Sets;

namespace NfLua.Scripting.Tests;

/// <summary>What the host gives a rule: nflua.meta, nflua.params, nflua.set, require of modules.</summary>
public sealed class RuleEnvironmentTests
{
    private static readonly RuleLimits s_limits = RuleHarness.Relaxed;
    private static readonly byte[] s_udp = TestPackets.Udp([1, 2, 3, 4]);
    private const string DotCall = "contains: call it on a set (bad:contains(x)), not with a dot";

    [Fact]
    public void Meta_ShowsEveryFieldOfThePacketsContext()
    {
        var meta = PacketMeta.None;
        meta.Hook = PacketHook.Forward;
        meta.InputInterface = 2;
        meta.OutputInterface = 3;
        meta.PhysicalInputInterface = 4;
        meta.HasUid = true;
        meta.Uid = 1000;
        meta.Mark = 0x42;
        meta.Priority = 6;
        meta.Gso = true;
        meta.Length = 1500;
        meta.SetHardwareAddress([0x52, 0x54, 0x00, 0xAB, 0xCD, 0xEF]);
        using LuaRule rule = LuaRule.Compile("meta", """
            function filter(pkt)
              local m = nflua.meta(pkt)
              local got = table.concat({ m.hook, m.indev, m.outdev, m.physindev, tostring(m.physoutdev), m.ifindex_in, m.ifindex_out,
                m.uid, tostring(m.gid), m.mark, m.priority, m.hwaddr, tostring(m.gso), m.len, tostring(m.ct) }, " ")
              return got == "forward eth0 veth-a br-port nil 2 3 1000 nil 66 6 52:54:00:ab:cd:ef true 1500 nil"
            end
            """, "meta.lua", s_limits, environment: new RuleEnvironment { Interfaces = new Names(new() { [2] = "eth0", [3] = "veth-a", [4] = "br-port" }) });

        FilterResult result = rule.Filter(s_udp, 0, meta);

        Assert.True(result.Failure == RuleFailure.None, result.Error);
        Assert.Equal(FilterVerdict.Pass, result.Verdict);
    }

    [Fact]
    public void Meta_WithoutContext_ReadsNilOrTheBytesLength_AndIsReadOnly_AndTheSameObjectEveryCall()
    {
        using LuaRule rule = LuaRule.Compile("meta", """
            local first
            function filter(pkt)
              local m = nflua.meta(pkt)
              first = first or m
              local ok = pcall(function() m.uid = 0 end)
              return m == first and not ok and m.hook == nil and m.indev == nil and m.uid == nil and m.mark == 0 and m.len == #pkt and m.gso == false
            end
            """, "meta.lua", s_limits);

        for (int i = 0; i < 3; i++)
        {
            FilterResult result = rule.Filter(s_udp);
            Assert.True(result.Failure == RuleFailure.None, result.Error);
            Assert.Equal(FilterVerdict.Pass, result.Verdict);
        }
    }

    [Fact]
    public void Meta_KeptFromAnEarlierCall_ShowsThePacketOfTheCallItIsReadIn()
    {
        using LuaRule rule = LuaRule.Compile("meta", """
            local kept
            function filter(pkt)
              if kept then return kept.mark == 2 end
              kept = nflua.meta(pkt)
              return kept.mark == 1
            end
            """, "meta.lua", s_limits);
        var meta = PacketMeta.None;
        meta.Mark = 1;
        Assert.Equal(FilterVerdict.Pass, rule.Filter(s_udp, 0, meta).Verdict);
        meta.Mark = 2;
        Assert.Equal(FilterVerdict.Pass, rule.Filter(s_udp, 0, meta).Verdict);
    }

    [Fact]
    public void Params_AreAReadOnlyDeepCopy()
    {
        Assert.True(RuleParams.TryCreate(new Dictionary<string, object?>
        {
            ["ports"] = new List<object?> { 22L, 2222 },
            ["mode"] = "strict",
            ["limits"] = new Dictionary<string, object?> { ["rate"] = 10L, ["on"] = true },
        }, out RuleParams parameters, out string? error), error);
        using LuaRule rule = LuaRule.Compile("params", """
            local p = nflua.params
            function filter(pkt)
              local n = 0
              for k, v in pairs(p) do n = n + 1 end
              local writable = pcall(function() p.mode = "lax" end) or pcall(function() p.ports[1] = 1 end)
              return n == 3 and #p.ports == 2 and p.ports[2] == 2222 and math.type(p.ports[1]) == "integer"
                and p.mode == "strict" and p.limits.rate == 10 and p.limits.on == true and not writable
            end
            """, "params.lua", s_limits, environment: new RuleEnvironment { Params = parameters });

        FilterResult result = rule.Filter(s_udp);
        Assert.True(result.Failure == RuleFailure.None, result.Error);
        Assert.Equal(FilterVerdict.Pass, result.Verdict);
    }

    [Theory]
    [InlineData(1.5, "not an integer")]
    [InlineData(null, "is nil")]
    public void Params_OfOtherKinds_AreRefusedNamingTheKey(object? value, string message)
    {
        var values = new Dictionary<string, object?> { ["outer"] = new Dictionary<string, object?> { ["inner"] = new List<object?> { 1L, value } } };
        Assert.False(RuleParams.TryCreate(values, out _, out string? error));
        Assert.Contains("params.outer.inner[2]", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("22", 22L)]
    [InlineData("-3", -3L)]
    [InlineData("0x1F", 31L)]
    [InlineData("true", true)]
    [InlineData("strict", "strict")]
    [InlineData("1.5", "1.5")]
    public void ParamText_KeepsIntegersAndBooleans(string text, object expected) => Assert.Equal(expected, RuleParams.ParseText(text));

    [Fact]
    public void Sets_AnswerForTextAndForPacketAddresses()
    {
        var sets = new Dictionary<string, NamedSet>
        {
            ["bad-nets"] = new("bad-nets", CidrSet.Build([Cidr.Parse("192.0.2.0/24"), Cidr.Parse("2001:db8::/32")])),
            ["bad-names"] = new("bad-names", DomainSet.Build([Encoding.ASCII.GetBytes("example.com")], 9)),
        };
        using LuaRule rule = LuaRule.Compile("sets", """
            local nets, names = nflua.set("bad-nets"), nflua.set("bad-names")
            function filter(pkt)
              return nets:contains("192.0.2.9") and not nets:contains("192.0.3.1") and nets:contains("2001:db8::1")
                and nets:contains(pkt, "dst") and not nets:contains(pkt, "src")
                and names:contains("WWW.Example.Com.") and not names:contains("notexample.com")
                and #nets == 2 and tostring(names) == "set bad-names (domain, 1 entries)"
            end
            """, "sets.lua", s_limits, environment: new RuleEnvironment { Sets = sets });

        byte[] packet = TestPackets.Udp([1]);
        packet[12] = 203;
        packet[13] = 0;
        packet[14] = 113;
        packet[15] = 5;  // source 203.0.113.5
        packet[16] = 192;
        packet[17] = 0;
        packet[18] = 2;
        packet[19] = 77; // destination 192.0.2.77
        FilterResult result = rule.Filter(packet);
        Assert.True(result.Failure == RuleFailure.None, result.Error);
        Assert.Equal(FilterVerdict.Pass, result.Verdict);
    }

    [Fact]
    public void Sets_ReplacedByTheHost_AreSeenAtTheNextPacket()
    {
        var set = new NamedSet("allow", StringSet.Build([Encoding.UTF8.GetBytes("a")], 1));
        using LuaRule rule = LuaRule.Compile("sets", "local s = nflua.set('allow') function filter(pkt) return s:contains('b') end", "sets.lua",
            s_limits, environment: new RuleEnvironment { Sets = new Dictionary<string, NamedSet> { ["allow"] = set } });

        Assert.Equal(FilterVerdict.Drop, rule.Filter(s_udp).Verdict);
        set.Replace(StringSet.Build([Encoding.UTF8.GetBytes("b")], 2));
        Assert.Equal(FilterVerdict.Pass, rule.Filter(s_udp).Verdict);
        Assert.Throws<ArgumentException>(() => set.Replace(CidrSet.Empty));
    }

    [Theory]
    [InlineData("nflua.set('missing')", "unknown set 'missing' (defined: bad-names)")]
    [InlineData("nflua.set('bad-names'):contains({})", "contains takes a string, or a packet")]
    [InlineData("nflua.set('bad-names').contains('x')", DotCall)]
    public void Sets_Misused_AreCompileErrorsThatSayWhy(string mainChunk, string message)
    {
        var sets = new Dictionary<string, NamedSet> { ["bad-names"] = new("bad-names", DomainSet.Build([Encoding.ASCII.GetBytes("example.com")], 9)) };
        var ex = Assert.Throws<RuleCompileException>(() => LuaRule.Compile("sets", mainChunk + "\nfunction filter(pkt) return true end", "sets.lua",
            s_limits, environment: new RuleEnvironment { Sets = sets }));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("sets.lua:1:", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s:contains({})", "contains takes a string, or a packet and \"src\" or \"dst\"")]
    [InlineData("s:contains(42)", "contains takes a string, or a packet")]
    [InlineData("s:contains()", "contains takes a string, or a packet")]
    [InlineData("s:contains(pkt, 'source')", "contains(pkt, which): which is \"src\" or \"dst\"")]
    [InlineData("s:contains(pkt)", "contains(pkt, which): which is \"src\" or \"dst\"")]
    [InlineData("s.contains('203.0.113.5')", "contains: call it on a set (bad:contains(x)), not with a dot")]
    [InlineData("s.contains(pkt, 'src')", DotCall)]
    [InlineData("s.contains(data.new(4), '203.0.113.5')", DotCall)]
    [InlineData("s.contains(nflua.meta(pkt), '203.0.113.5')", DotCall)]
    [InlineData("s.contains(nil, 'x')", DotCall)]
    [InlineData("nflua.set('missing')", "unknown set 'missing' (defined: nets)")]
    [InlineData("nflua.set(7)", "unknown set '(not a string)' (defined: nets)")]
    public void Sets_MisusedInFilter_RaiseAtTheCallersLine(string call, string message)
    {
        var sets = new Dictionary<string, NamedSet> { ["nets"] = new("nets", CidrSet.Build([Cidr.Parse("203.0.113.0/24")])) };
        using LuaRule rule = LuaRule.Compile("sets", $"local s = nflua.set('nets')\nfunction filter(pkt)\n  local x = 1\n  local found = {call}\n  return true\nend",
            "sets.lua", s_limits, environment: new RuleEnvironment { Sets = sets });

        FilterResult result = rule.Filter(s_udp);

        Assert.Equal(RuleFailure.ScriptError, result.Failure);
        Assert.Contains("sets.lua:4: " + message, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("nflua-sandbox", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sets_Misused_RaiseCatchableErrors_AndTheRuleGoesOn()
    {
        var sets = new Dictionary<string, NamedSet> { ["nets"] = new("nets", CidrSet.Build([Cidr.Parse("203.0.113.0/24")])) };
        using LuaRule rule = LuaRule.Compile("sets", """
            local s = nflua.set('nets')
            function filter(pkt)
              local ok, err = pcall(function() return s:contains({}) end)
              local ok2, err2 = pcall(s.contains, 'x')
              local ok3, err3 = pcall(nflua.set, 'nope')
              -- pcall calls the last two directly: a C caller has no line to give
              local got = table.concat({ tostring(ok), err, tostring(ok2), err2, tostring(ok3), err3 }, "|")
              local want = 'false|sets.lua:3: contains takes a string, or a packet and "src" or "dst"|false|'
                .. "contains: call it on a set (bad:contains(x)), not with a dot|false|unknown set 'nope' (defined: nets)"
              if got ~= want then error(got) end
              return s:contains('203.0.113.9') and not s:contains('198.51.100.1')
            end
            """, "sets.lua", s_limits, environment: new RuleEnvironment { Sets = sets });

        for (int i = 0; i < 3; i++)
        {
            FilterResult result = rule.Filter(s_udp);
            Assert.True(result.Failure == RuleFailure.None, result.Error);
            Assert.Equal(FilterVerdict.Pass, result.Verdict);
        }
    }

    [Fact]
    public void Sets_ContainsInATailCall_StillNamesTheRulesLine()
    {
        var sets = new Dictionary<string, NamedSet> { ["nets"] = new("nets", CidrSet.Build([Cidr.Parse("203.0.113.0/24")])) };
        using LuaRule rule = LuaRule.Compile("sets", "local s = nflua.set('nets')\nlocal function check(x)\n  return s:contains(x)\nend\nfunction filter(pkt)\n  return check({})\nend",
            "sets.lua", s_limits, environment: new RuleEnvironment { Sets = sets });

        FilterResult result = rule.Filter(s_udp);

        Assert.Equal(RuleFailure.ScriptError, result.Failure);
        Assert.Contains("sets.lua:3: contains takes a string", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void SetHandle_HasOnlyItsMethod_AndIsReadOnly()
    {
        var sets = new Dictionary<string, NamedSet> { ["nets"] = new("nets", CidrSet.Build([Cidr.Parse("203.0.113.0/24")])) };
        using LuaRule rule = LuaRule.Compile("sets", """
            local s = nflua.set('nets')
            function filter(pkt)
              local ok = pcall(function() s.contains = function() return true end end)
              return getmetatable(s) == "set" and type(s.contains) == "function" and s.other == nil and not ok
                and not s:contains('198.51.100.1')
            end
            """, "sets.lua", s_limits, environment: new RuleEnvironment { Sets = sets });

        FilterResult result = rule.Filter(s_udp);

        Assert.True(result.Failure == RuleFailure.None, result.Error);
        Assert.Equal(FilterVerdict.Pass, result.Verdict);
    }

    [Fact]
    public void Sets_OnlyACidrSetTakesAPacket()
    {
        var sets = new Dictionary<string, NamedSet> { ["names"] = new("names", DomainSet.Build([Encoding.ASCII.GetBytes("example.com")], 9)) };
        using LuaRule rule = LuaRule.Compile("sets", "local s = nflua.set('names') function filter(pkt) return s:contains(pkt, 'src') end", "sets.lua",
            s_limits, environment: new RuleEnvironment { Sets = sets });
        FilterResult result = rule.Filter(s_udp);
        Assert.Equal(RuleFailure.ScriptError, result.Failure);
        Assert.Contains("only a cidr set takes a packet", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Modules_AreRequiredIntoTheRulesOwnState_OnceEach()
    {
        var modules = new Dictionary<string, RuleModule>
        {
            ["dns"] = new(Encoding.UTF8.GetBytes("loads = (loads or 0) + 1\nlocal M = {}\nfunction M.label(n) return 'l' .. n end\nreturn M\n"), "lib/dns.lua"),
            ["bad"] = new(Encoding.UTF8.GetBytes("return require('bad')"), "lib/bad.lua"),
        };
        var environment = new RuleEnvironment { Modules = modules };
        using LuaRule one = LuaRule.Compile("one", "local dns = require 'dns' local again = require 'dns' function filter(pkt) return dns == again and dns.label(1) == 'l1' and loads == 1 end",
            "one.lua", s_limits, environment: environment);
        using LuaRule two = LuaRule.Compile("two", "local dns = require 'dns' function filter(pkt) return loads == 1 end", "two.lua", s_limits, environment: environment);

        Assert.Equal(FilterVerdict.Pass, one.Filter(s_udp).Verdict);
        Assert.Equal(FilterVerdict.Pass, two.Filter(s_udp).Verdict); // its own state: loaded once there too, not shared
        var loop = Assert.Throws<RuleCompileException>(() => LuaRule.Compile("loop", "require 'bad' function filter(pkt) return true end", "loop.lua", s_limits, environment: environment));
        Assert.Contains("requires itself", loop.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<RuleCompileException>(() => LuaRule.Compile("m", "require 'tls' function filter(pkt) return true end", "m.lua", s_limits, environment: environment));
        Assert.Contains("the configuration's modules: bad, dns", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Module_ThatDoesNotCompile_IsACompileErrorNamingIt()
    {
        var environment = new RuleEnvironment { Modules = new Dictionary<string, RuleModule> { ["broken"] = new(Encoding.UTF8.GetBytes("local x = = 1"), "lib/broken.lua") } };
        var ex = Assert.Throws<RuleCompileException>(() => LuaRule.Compile("r", "function filter(pkt) return true end", "r.lua", s_limits, environment: environment));
        Assert.StartsWith("module broken: lib/broken.lua:1:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MetaAndSets_AllocateNothingPerPacket()
    {
        var meta = PacketMeta.None;
        meta.Hook = PacketHook.Input;
        meta.InputInterface = 2;
        // Enough networks and names that the cidr index and the name table's probing are in play.
        CidrSet networks = CidrSet.Build([
            Cidr.Parse("10.0.0.0/8"), Cidr.Parse("2001:db8::/32"),
            .. Enumerable.Range(0, 5000).Select(i => Cidr.Parse($"{20 + (i % 50)}.{i / 50}.0.0/16")),
        ]);
        DomainSet names = DomainSet.Build([.. Enumerable.Range(0, 5000).Select(i => Encoding.ASCII.GetBytes($"n{i}.example"))], 1);
        StringSet agents = StringSet.Build([.. Enumerable.Range(0, 5000).Select(i => Encoding.ASCII.GetBytes($"agent/{i}"))], 2);
        var sets = new Dictionary<string, NamedSet> { ["nets"] = new("nets", networks), ["names"] = new("names", names), ["agents"] = new("agents", agents) };
        using LuaRule rule = LuaRule.Compile("hot", """
            local nets, names, agents = nflua.set("nets"), nflua.set("names"), nflua.set("agents")
            function filter(pkt)
              local m = nflua.meta(pkt)
              return m.hook == "input" and m.indev == "eth0" and not nets:contains(pkt, "src") and not nets:contains("192.0.2.1")
                and nets:contains("2001:db8::1") and nets:contains("45.7.1.1") and not nets:contains("2001:db9::")
                and names:contains("WWW.N42.Example.") and not names:contains("n42.example.org")
                and agents:contains("agent/7") and not agents:contains("agent/x")
            end
            """, "hot.lua", s_limits, environment: new RuleEnvironment { Sets = sets, Interfaces = new Names(new() { [2] = "eth0" }) });
        for (int i = 0; i < 100; i++)
        {
            rule.Filter(s_udp, 0, meta);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int passed = 0;
        for (int i = 0; i < 1000; i++)
        {
            passed += rule.Filter(s_udp, 0, meta).Verdict == FilterVerdict.Pass ? 1 : 0;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1000, passed);
        Assert.Equal(0, allocated);
    }

    private sealed class Names(Dictionary<uint, string> names) : IInterfaceNames
    {
        private readonly Dictionary<uint, byte[]> _names = names.ToDictionary(n => n.Key, n => Encoding.UTF8.GetBytes(n.Value));

        public long Version => 1;

        public ReadOnlySpan<byte> Name(uint index) => _names.TryGetValue(index, out byte[]? name) ? name : default;
    }
}
