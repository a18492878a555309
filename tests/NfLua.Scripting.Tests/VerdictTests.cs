using static NfLua.Scripting.Tests.RuleHarness;

namespace NfLua.Scripting.Tests;

/// <summary>Every form a filter may return, and what anything else becomes.</summary>
public sealed class VerdictTests
{
    [Theory]
    [InlineData("return true", FilterVerdict.Pass)]
    [InlineData("return false", FilterVerdict.Drop)]
    [InlineData("return 'pass'", FilterVerdict.Pass)]
    [InlineData("return 'accept'", FilterVerdict.Accept)]
    [InlineData("return 'drop'", FilterVerdict.Drop)]
    [InlineData("return 'repeat'", FilterVerdict.Repeat)]
    [InlineData("return 'stop'", FilterVerdict.Stop)]
    public void Filter_ReturnsAVerdict(string body, FilterVerdict expected)
    {
        FilterResult result = Run(body, [0x45]);
        Assert.Equal(RuleFailure.None, result.Failure);
        Assert.Equal(expected, result.Verdict);
        Assert.Null(result.Mark);
        Assert.False(result.Modified);
    }

    [Fact]
    public void Filter_QueueToN_CarriesTheTarget()
    {
        FilterResult result = Run("return 'queue', 7", [0x45]);
        Assert.Equal(FilterVerdict.Queue, result.Verdict);
        Assert.Equal(7, result.QueueNumber);
    }

    [Fact]
    public void SetMark_TravelsWithTheVerdictOfThatPacketOnly()
    {
        using LuaRule rule = Rule("if pkt:layout{ a = {0, 8} }.a == 1 then nflua.setmark(0x2A) end return 'repeat'");
        FilterResult marked = rule.Filter([1]);
        FilterResult unmarked = rule.Filter([2]);
        Assert.Equal((uint)0x2A, marked.Mark);
        Assert.Null(unmarked.Mark);
    }

    [Theory]
    [InlineData("return nil")]
    [InlineData("return")]
    [InlineData("return 1")]
    [InlineData("return {}")]
    [InlineData("return 'bogus'")]
    [InlineData("return 'queue'")]
    [InlineData("return 'queue', 70000")]
    [InlineData("return function() end")]
    public void Filter_ReturningAnythingElse_GetsTheOnErrorVerdict(string body)
    {
        FilterResult accepted = Run(body, [0x45], new RuleLimits { OnError = ErrorVerdict.Accept, MaxCallTime = TimeSpan.FromSeconds(2) });
        FilterResult dropped = Run(body, [0x45], new RuleLimits { OnError = ErrorVerdict.Drop, MaxCallTime = TimeSpan.FromSeconds(2) });
        Assert.Equal(RuleFailure.BadReturn, accepted.Failure);
        Assert.Equal(FilterVerdict.Accept, accepted.Verdict);
        Assert.Equal(FilterVerdict.Drop, dropped.Verdict);
        Assert.Contains("test:", accepted.Error, StringComparison.Ordinal);
    }
}
