using NfLua.Scripting;
using static NfLua.Engine.Tests.Rules;

namespace NfLua.Engine.Tests;

/// <summary>Evaluation order and the failure policy of a queue's rules.</summary>
public sealed class RuleSetTests
{
    private static readonly byte[] s_packet = [0x45, 0, 0, 20];

    [Fact]
    public void Evaluate_WithNoRules_Accepts() =>
        Assert.Equal(PacketDecision.AcceptAll, RuleSet.Empty.Evaluate(s_packet));

    [Fact]
    public void Evaluate_AllPass_AcceptsWithTheLastMark()
    {
        RuleSet set = RuleSet.Empty.WithRule(Make("a", "nflua.setmark(1) return true")).WithRule(Make("b", "nflua.setmark(2) return 'pass'"));
        PacketDecision decision = set.Evaluate(s_packet);
        Assert.Equal(new PacketDecision(DecisionKind.Accept, 0, 2u, false, -1), decision);
        DisposeAll(set);
    }

    [Fact]
    public void Evaluate_FirstVerdictOtherThanPass_EndsEvaluation()
    {
        LuaRule last = Make("never", "return 'queue', 9");
        RuleSet set = RuleSet.Empty.WithRule(Make("pass", "return true")).WithRule(Make("drop", "return false")).WithRule(last);
        PacketDecision decision = set.Evaluate(s_packet);
        Assert.Equal(DecisionKind.Drop, decision.Kind);
        Assert.Equal(1, decision.DecidedBy);
        Assert.Equal(0, last.Counters.Snapshot().Calls);
        DisposeAll(set);
    }

    [Fact]
    public void Evaluate_MonitorRule_IsCountedButChangesNothing_TheNextRuleDecides()
    {
        LuaRule watcher = Make("watch", "local d = pkt:layout(data.layout{ b = {0, 8} }) d.b = 0x99 nflua.setmark(7) return false");
        LuaRule failing = Make("fail", "error('boom')", Relaxed with { OnError = ErrorVerdict.Drop });
        watcher.Monitor = true;
        failing.Monitor = true;
        RuleSet set = RuleSet.Empty.WithRule(watcher).WithRule(failing).WithRule(Make("last", "return 'queue', 4"));
        byte[] packet = [.. s_packet];

        PacketDecision decision = set.Evaluate(packet);

        Assert.Equal(new PacketDecision(DecisionKind.Queue, 4, null, false, 2, 0), decision); // no mark, no write, no failure
        Assert.Equal(s_packet, packet);
        RuleCountersSnapshot counts = watcher.Counters.Snapshot();
        Assert.Equal((1L, 1L), (counts.Calls, counts.Drop)); // what it would have done
        Assert.Equal(1L, failing.Counters.Snapshot().Failures);
        DisposeAll(set);
    }

    [Fact]
    public void Registry_SetMonitor_SwitchesEveryQueuesCopy_AndKeepsTheRulesState()
    {
        var registry = new RuleRegistry();
        var definition = new RuleDefinition("odd", [1, 2], "n = 0 function filter(pkt) n = n + 1 return n % 2 == 0 end"u8.ToArray(), "odd.lua", Relaxed, RuleOrigin.Control, Monitor: true);
        using (CompiledRules compiled = registry.Compile([definition]))
        {
            registry.Load(compiled);
        }

        Assert.Equal(DecisionKind.Accept, registry.For(1).Published.Evaluate(s_packet).Kind); // n = 1: would drop, monitored
        Assert.True(registry.SetMonitor("odd", false)!.Monitor is false);
        Assert.Equal(DecisionKind.Accept, registry.For(1).Published.Evaluate(s_packet).Kind); // n = 2: passes
        Assert.Equal(DecisionKind.Drop, registry.For(1).Published.Evaluate(s_packet).Kind);   // n = 3: the state went on
        Assert.False(registry.Find("odd")!.Monitor);
        Assert.All(registry.Queues.Values.SelectMany(q => q.Published.Rules), r => Assert.False(r.Monitor));
        Assert.Null(registry.SetMonitor("none", true));
        registry.Clear();
    }

    [Theory]
    [InlineData(ErrorVerdict.Drop, DecisionKind.Drop)]
    [InlineData(ErrorVerdict.Accept, DecisionKind.Accept)]
    public void Evaluate_FailingRule_GivesItsOnErrorVerdict(ErrorVerdict onError, DecisionKind expected)
    {
        RuleSet set = RuleSet.Empty
            .WithRule(Make("hostile", "while true do end", new RuleLimits { MaxInstructions = 10_000, OnError = onError }))
            .WithRule(Make("after", "return 'queue', 4"));
        PacketDecision decision = set.Evaluate(s_packet);
        Assert.Equal(expected, decision.Kind);
        Assert.Equal(0, decision.DecidedBy);
        DisposeAll(set);
    }

    [Fact]
    public void WithRule_OfAnExistingName_ReplacesItInPlace()
    {
        RuleSet set = RuleSet.Empty.WithRule(Make("a", "return true")).WithRule(Make("b", "return true"));
        RuleSet replaced = set.WithRule(Make("a", "return false"));
        Assert.Equal(["a", "b"], replaced.Rules.Select(r => r.Name));
        Assert.Equal(DecisionKind.Drop, replaced.Evaluate(s_packet).Kind);
        set.Rules[0].Dispose();
        DisposeAll(replaced);
    }

    [Fact]
    public void Evaluate_ModifyingRule_ReportsTheModification()
    {
        RuleSet set = RuleSet.Empty.WithRule(Make("ttl", "pkt:layout{ b = {8, 8} }.b = 1 return true"));
        byte[] packet = [0x45, 0, 0, 20];
        Assert.True(set.Evaluate(packet).Modified);
        Assert.Equal(1, packet[1]);
        DisposeAll(set);
    }

    private static void DisposeAll(RuleSet set)
    {
        foreach (LuaRule rule in set.Rules)
        {
            rule.Dispose();
        }
    }
}
