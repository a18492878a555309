namespace NfLua.Scripting.Tests;

/// <summary>
/// A rule failing on every packet at line rate must not make garbage for the .NET collector (whose
/// pauses stop every queue): a failing call keeps its failure's kind and leaves its message in the
/// rule's state until somebody reads it.
/// </summary>
public sealed class FailureAllocationTests
{
    [Theory]
    [InlineData("error('bad packet ' .. pkt:layout{ b = {0, 8} }.b)", RuleFailure.ScriptError)]
    [InlineData("error({})", RuleFailure.ScriptError)]
    [InlineData("return {}", RuleFailure.BadReturn)]
    [InlineData("return 'queue', 70000", RuleFailure.BadReturn)]
    [InlineData("while true do end", RuleFailure.InstructionLimit)]
    [InlineData("return string.rep('x', 1 << 20)", RuleFailure.MemoryLimit)]
    public void FailingCalls_AllocateNothing_AndTheMessageIsThereWhenAsked(string body, RuleFailure kind)
    {
        var logger = new ListLogger();
        using LuaRule rule = LuaRule.Compile("failing", $"function filter(pkt)\n{body}\nend\n", "failing.lua",
            new RuleLimits { MaxInstructions = 20_000, MaxMemoryBytes = 256 * 1024, MaxCallTime = TimeSpan.FromSeconds(2) }, logger);
        byte[] packet = [0x45, 0, 0, 20];
        for (int i = 0; i < 50; i++)
        {
            rule.Filter(packet); // warm-up: the first failure is logged, the failure texts are made once
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        FilterResult last = default;
        for (int i = 0; i < 1000; i++)
        {
            last = rule.Filter(packet);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(kind, last.Failure);
        Assert.Equal(0, allocated);
        Assert.False(string.IsNullOrEmpty(last.Error));
        Assert.Single(logger.Entries); // the rest were counted, not logged (one line per 10 s)
        Assert.Equal(1050, rule.Counters.Snapshot().Failures);
    }

    [Fact]
    public void AnEarlierFailuresMessage_AfterTheRuleFailedAgain_SaysItIsGone()
    {
        using LuaRule rule = RuleHarness.Rule("error('packet ' .. pkt:layout{ b = {0, 8} }.b)");
        FilterResult first = rule.Filter([1]);
        FilterResult second = rule.Filter([2]);

        Assert.Contains("packet 2", second.Error, StringComparison.Ordinal);
        Assert.Contains("gone", first.Error, StringComparison.Ordinal);
    }
}
