using System.Text.Json;
using NfLua.Scripting.Messages;

namespace NfLua.Scripting.Tests.Messages;

/// <summary>nflua.log and nflua.alert: what they record, their limit, their errors, and what a refused one costs.</summary>
public sealed class AlertTests
{
    private static readonly byte[] s_udp = TestPackets.Udp([1, 2, 3], srcPort: 5353, dstPort: 53);

    private static LuaRule Rule(string body, RuleMessageHub? hub = null) =>
        LuaRule.Compile("speaker", $"function filter(pkt)\n{body}\nend\n", "speaker.lua", new RuleLimits(),
            environment: new RuleEnvironment { Messages = hub });

    private static List<string> Drain(LuaRule rule)
    {
        var lines = new List<string>();
        while (rule.Messages.Ring.Peek() is { } message)
        {
            lines.Add(message.Kind == RuleMessageKind.Log ? RuleMessageJson.LogText(message) : RuleMessageJson.ToJson(message));
            rule.Messages.Ring.Release();
        }

        return lines;
    }

    [Fact]
    public void Alert_IsAJsonObject_WithThePacketTheVerdictAndTheFields()
    {
        using LuaRule rule = Rule("""nflua.alert("bad dns", { qname = "x.example", count = 3, blocked = true }) return false""");
        var meta = PacketMeta.None;
        meta.Hook = PacketHook.Input;
        rule.Filter(s_udp, 1000, meta);

        string line = Assert.Single(Drain(rule));
        using JsonDocument document = JsonDocument.Parse(line);
        JsonElement e = document.RootElement;
        Assert.Equal(
            ["time", "type", "rule", "queue", "hook", "proto", "src_ip", "src_port", "dest_ip", "dest_port", "len", "verdict", "rule_verdict", "message", "fields"],
            e.EnumerateObject().Select(p => p.Name));
        Assert.Equal("alert", e.GetProperty("type").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", e.GetProperty("time").GetString());
        Assert.Equal("speaker", e.GetProperty("rule").GetString());
        Assert.Equal("input", e.GetProperty("hook").GetString());
        Assert.Equal("UDP", e.GetProperty("proto").GetString());
        Assert.Equal(5353, e.GetProperty("src_port").GetInt32());
        Assert.Equal(53, e.GetProperty("dest_port").GetInt32());
        Assert.Equal("drop", e.GetProperty("verdict").GetString());
        Assert.Equal("bad dns", e.GetProperty("message").GetString());
        JsonElement fields = e.GetProperty("fields");
        Assert.Equal("x.example", fields.GetProperty("qname").GetString());
        Assert.Equal(3, fields.GetProperty("count").GetInt64());
        Assert.True(fields.GetProperty("blocked").GetBoolean());
    }

    [Fact]
    public void Log_IsTaggedWithThe5Tuple_AndItsLevel()
    {
        using LuaRule rule = Rule("""nflua.log("warning", "odd packet") nflua.log("plain") return true""");
        rule.Filter(s_udp, 1000, PacketMeta.None);

        List<string> lines = Drain(rule);
        Assert.Equal(2, lines.Count);
        Assert.Matches(@"^UDP [\d.]+:5353 -> [\d.]+:53: odd packet$", lines[0]);
        Assert.EndsWith(": plain", lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nflua.alert('x', { t = {} })", "field 't' is a table")]
    [InlineData("nflua.alert('x', { f = print or function() end })", "field 'f' is a function")]
    [InlineData("nflua.alert('x', { 1, 2 })", "field names must be strings")]
    [InlineData("nflua.alert('x', 5)", "fields must be a table")]
    [InlineData("nflua.alert({})", "expects a message string")]
    [InlineData("nflua.log('loud', 'x')", "the level must be")]
    [InlineData("nflua.log()", "expects a message string")]
    public void BadArguments_AreAClearLuaError_EvenWhenTheLimitRefuses(string call, string expected)
    {
        // A limit of nothing at all: the mistake must show all the same.
        using LuaRule rule = Rule(call + " return true", new RuleMessageHub(new RuleMessageSettings(0, 0)));
        FilterResult result = rule.Filter(s_udp, 1000, PacketMeta.None);

        Assert.Equal(RuleFailure.ScriptError, result.Failure);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Contains("speaker.lua:2:", result.Error, StringComparison.Ordinal); // blamed on the rule's line
    }

    [Fact]
    public void TheLimit_LetsTheBurstThrough_ThenCountsTheRestAsSuppressed()
    {
        using LuaRule rule = Rule("nflua.alert('a') nflua.log('l') return false", new RuleMessageHub(new RuleMessageSettings(Rate: 20, Burst: 5, RingCapacity: 64)));
        for (int i = 0; i < 30; i++)
        {
            rule.Filter(s_udp, 1000, PacketMeta.None);   // one instant: only the burst
        }

        RuleMessageCounters c = rule.Messages.Counters;
        Assert.Equal((5, 25, 5, 25, 0), (c.Alerts, c.AlertsSuppressed, c.Logs, c.LogsSuppressed, c.Dropped));
        rule.Filter(s_udp, 1050, PacketMeta.None);       // 50 ms later: one more of each at 20/s
        List<string> lines = Drain(rule);
        Assert.Equal(12, lines.Count);
        Assert.Contains("\"suppressed_before\":25", lines[^2], StringComparison.Ordinal); // the alert after the refusals says how many
    }

    [Fact]
    public void BehindAClosedGate_ACallIsCountedWithoutTheHost_AndItsArgumentsAreNotChecked()
    {
        // The first alert spends the burst of 1; the second is refused by the host and closes the gate; from then on
        // the C gate refuses by itself: a bad argument is not seen until a message is let through again.
        using LuaRule rule = Rule("""
            n = (n or 0) + 1
            if n <= 2 then nflua.alert('ok') else nflua.alert({}) end
            return false
            """, new RuleMessageHub(new RuleMessageSettings(Rate: 20, Burst: 1)));
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(RuleFailure.None, rule.Filter(s_udp, 1000, PacketMeta.None).Failure);
        }

        Assert.Equal((1L, 4L), (rule.Messages.Counters.Alerts, rule.Messages.Counters.AlertsSuppressed));
        FilterResult reopened = rule.Filter(s_udp, 1050, PacketMeta.None); // 50 ms: a token again, the gate opens
        Assert.Equal(RuleFailure.ScriptError, reopened.Failure);
        Assert.Contains("expects a message string", reopened.Error, StringComparison.Ordinal);
        Assert.Contains("speaker.lua:3:", reopened.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Alerting_SaysWhetherAnAlertWouldGoThrough_AndCountsARefusal()
    {
        using LuaRule rule = Rule("""
            if nflua.alerting() then nflua.alert('a', { n = 1 }) end
            if nflua.logging() then nflua.log('l') end
            return false
            """, new RuleMessageHub(new RuleMessageSettings(Rate: 20, Burst: 2)));
        for (int i = 0; i < 10; i++)
        {
            rule.Filter(s_udp, 1000, PacketMeta.None);
        }

        RuleMessageCounters c = rule.Messages.Counters;
        Assert.Equal((2L, 8L, 2L, 8L), (c.Alerts, c.AlertsSuppressed, c.Logs, c.LogsSuppressed));
        rule.Filter(s_udp, 1050, PacketMeta.None);
        List<string> lines = Drain(rule);
        Assert.Contains("\"suppressed_before\":8", lines[^2], StringComparison.Ordinal); // the alert after the refusals
    }

    [Fact]
    public void TheStormsTail_IsTakenOnce_WhenTheBucketIsFullAgain_UnlessAMessageCarriedIt()
    {
        using LuaRule rule = Rule("nflua.alert('a') return false", new RuleMessageHub(new RuleMessageSettings(Rate: 10, Burst: 2)));
        for (int i = 0; i < 7; i++)
        {
            rule.Filter(s_udp, 1000, PacketMeta.None); // 2 through, 5 refused
        }

        Assert.Equal(0, rule.Messages.TakeStormTail(RuleMessageKind.Alert, 1199)); // the bucket is full at 1200 (2 tokens at 10/s)
        Assert.Equal(5, rule.Messages.TakeStormTail(RuleMessageKind.Alert, 1200));
        Assert.Equal(0, rule.Messages.TakeStormTail(RuleMessageKind.Alert, 5000));
        Assert.Equal(0, rule.Messages.TakeStormTail(RuleMessageKind.Log, 5000));

        rule.Filter(s_udp, 5000, PacketMeta.None); // the next alert does not count them again
        Assert.DoesNotContain("suppressed_before", Drain(rule)[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void SuppressedCalls_AllocateNothing()
    {
        using LuaRule rule = Rule("nflua.alert('dropped', { port = 53, name = 'x' }) nflua.log('warning', 'x') return false",
            new RuleMessageHub(new RuleMessageSettings(Rate: 0, Burst: 1)));
        for (int i = 0; i < 100; i++)
        {
            rule.Filter(s_udp, i, PacketMeta.None); // warm-up; the one message of the burst goes through here
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            rule.Filter(s_udp, 1000 + i, PacketMeta.None);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(10_099, rule.Messages.Counters.AlertsSuppressed);
        Assert.Equal(10_099, rule.Messages.Counters.LogsSuppressed);
    }

    [Fact]
    public void AFullRing_DropsAndCounts_WithoutStoppingTheRule()
    {
        using LuaRule rule = Rule("nflua.alert('a') return false", new RuleMessageHub(new RuleMessageSettings(Rate: 1000, Burst: 1000, RingCapacity: 4)));
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(FilterVerdict.Drop, rule.Filter(s_udp, 1000, PacketMeta.None).Verdict);
        }

        Assert.Equal((4, 6), (rule.Messages.Counters.Alerts, rule.Messages.Counters.Dropped));
    }

    [Fact]
    public void Failures_BecomeEvents_WhenAHostCollectsThem()
    {
        var hub = new RuleMessageHub();
        using LuaRule rule = Rule("error('broken')", hub);
        rule.Filter(s_udp, 1000, PacketMeta.None);

        var events = new List<string>();
        hub.Drain(m => events.Add(RuleMessageJson.ToJson(m)));
        using JsonDocument document = JsonDocument.Parse(Assert.Single(events));
        Assert.Equal("rule_failure", document.RootElement.GetProperty("type").GetString());
        Assert.Equal("script_error", document.RootElement.GetProperty("kind").GetString());
        Assert.Contains("broken", document.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
