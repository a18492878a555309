using NfLua.Scripting;
using NfLua.Testing;

namespace NfLua.Engine.Tests;

/// <summary>nflua.interest: a queue skips a rule, without a Lua call, for packets the rule declared no interest in.</summary>
public sealed class InterestTests
{
    private static readonly RuleLimits s_limits = new() { MaxCallTime = TimeSpan.FromSeconds(2) };

    [Fact]
    public void PacketsOutsideTheInterest_CostNoCall_TheNextRuleStillJudges()
    {
        using LuaRule dns = LuaRule.Compile("dns", "nflua.interest{ protocol = 17, dst_port = 53 }\nfunction filter(pkt) return false end", "dns.lua", s_limits);
        using LuaRule web = LuaRule.Compile("web", "nflua.interest{ protocol = 6, port = { 80, \"8000-8080\" } }\nfunction filter(pkt) return \"accept\" end", "web.lua", s_limits);
        using LuaRule rest = LuaRule.Compile("rest", "function filter(pkt) return true end", "rest.lua", s_limits);
        RuleSet set = RuleSet.Of([dns, web, rest]);

        var tcp = new TcpConversation { ServerPort = 8042 };
        Assert.Equal(DecisionKind.Accept, set.Evaluate(tcp.ClientSyn(), 1).Kind);                      // web (dst 8042)
        Assert.Equal(DecisionKind.Accept, set.Evaluate(tcp.ServerSynAck(), 2).Kind);                   // web (src 8042): port is either
        Assert.Equal(DecisionKind.Drop, set.Evaluate(TestPackets.Udp(53), 3).Kind);                    // dns
        Assert.Equal(DecisionKind.Accept, set.Evaluate(TestPackets.Udp(5353), 4).Kind);                // nobody's but rest
        var other = new TcpConversation { ServerPort = 443 };
        Assert.Equal(DecisionKind.Accept, set.Evaluate(other.ClientSyn(), 5).Kind);                    // rest

        Assert.Equal(1, dns.Counters.Snapshot().Calls);
        Assert.Equal(2, web.Counters.Snapshot().Calls);
        Assert.Equal(2, rest.Counters.Snapshot().Calls);
    }

    [Theory]
    [InlineData("nflua.interest{ proto = 6 }", "unknown key 'proto'")]
    [InlineData("nflua.interest{ protocol = 256 }", "protocol takes integers")]
    [InlineData("nflua.interest{ port = \"9-1\" }", "port takes integers")]
    [InlineData("nflua.interest{ port = {} }", "port lists nothing")]
    [InlineData("nflua.interest(6)", "takes a table")]
    public void BadInterest_FailsTheLoadWithTheLine(string declaration, string message)
    {
        var error = Assert.Throws<RuleCompileException>(() => LuaRule.Compile("bad", declaration + "\nfunction filter(pkt) return true end", "bad.lua", s_limits));
        Assert.Contains("bad.lua:1:", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InterestDuringACall_IsAnError()
    {
        using LuaRule late = LuaRule.Compile("late", "function filter(pkt) nflua.interest{ protocol = 6 } return true end", "late.lua", s_limits);
        FilterResult result = late.Filter(TestPackets.Udp(53));
        Assert.Equal(RuleFailure.ScriptError, result.Failure);
        Assert.Contains("late.lua:1: nflua.interest belongs in the rule's main chunk", result.Error, StringComparison.Ordinal);
    }

    private static class TestPackets
    {
        public static byte[] Udp(ushort dstPort)
        {
            var packet = new byte[28 + 4];
            packet[0] = 0x45;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
            packet[8] = 64;
            packet[9] = 17;
            packet[12] = 10;
            packet[15] = 1;
            packet[16] = 10;
            packet[19] = 2;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), 40000);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), dstPort);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(24), 12);
            return packet;
        }
    }
}
