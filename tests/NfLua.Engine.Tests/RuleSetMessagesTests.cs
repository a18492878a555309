using NfLua.Scripting;
using NfLua.Scripting.Messages;
using static NfLua.Engine.Tests.Rules;

namespace NfLua.Engine.Tests;

/// <summary>An alert carries the verdict its packet finally got, decided after every rule of the queue ran.</summary>
public sealed class RuleSetMessagesTests
{
    private static readonly byte[] s_packet = [0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];

    private static RuleMessage Single(LuaRule rule)
    {
        RuleMessage message = rule.Messages.Ring.Peek() ?? throw new Xunit.Sdk.XunitException($"{rule.Name} published nothing");
        rule.Messages.Ring.Release();
        Assert.Null(rule.Messages.Ring.Peek());
        return message;
    }

    [Fact]
    public void AnAlertOfARuleThatPassed_CarriesTheVerdictALaterRuleGave()
    {
        LuaRule watcher = Make("watcher", "nflua.alert('seen') return true");
        LuaRule dropper = Make("dropper", "return false");
        RuleSet set = RuleSet.Empty.WithRule(watcher).WithRule(dropper);

        Assert.Equal(DecisionKind.Drop, set.Evaluate(s_packet).Kind);
        RuleMessage alert = Single(watcher);
        Assert.Equal(FilterVerdict.Drop, alert.FinalVerdict);
        Assert.Equal(FilterVerdict.Pass, alert.RuleVerdict);
        DisposeAll(set);
    }

    [Fact]
    public void AMonitorRulesAlert_CarriesTheVerdictTheEnforcingRulesGave()
    {
        LuaRule monitor = Make("shadow", "nflua.alert('would drop') return false");
        monitor.Monitor = true;
        RuleSet set = RuleSet.Empty.WithRule(monitor).WithRule(Make("queuer", "return 'queue', 4"));

        set.Evaluate(s_packet);
        RuleMessage alert = Single(monitor);
        Assert.Equal((FilterVerdict.Queue, (ushort)4), (alert.FinalVerdict, alert.FinalVerdictQueue));
        Assert.Equal(FilterVerdict.Drop, alert.RuleVerdict);
        Assert.True(alert.Monitor);
        DisposeAll(set);
    }

    [Fact]
    public void EveryRulePassing_IsAnAccept()
    {
        LuaRule rule = Make("only", "nflua.alert('x') return true");
        RuleSet set = RuleSet.Empty.WithRule(rule);
        set.Evaluate(s_packet);
        Assert.Equal(FilterVerdict.Accept, Single(rule).FinalVerdict);
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
