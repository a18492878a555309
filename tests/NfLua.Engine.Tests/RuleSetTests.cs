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
