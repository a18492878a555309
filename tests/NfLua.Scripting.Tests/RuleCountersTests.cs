namespace NfLua.Scripting.Tests;

/// <summary>Failures are counted every time and logged at a bounded rate.</summary>
public sealed class RuleCountersTests
{
    [Fact]
    public void Counters_CountCallsVerdictsAndFailures()
    {
        using LuaRule rule = LuaRule.Compile("mixed", """
            function filter(pkt)
              local b = pkt:layout{ b = {0, 8} }.b
              if b == 0 then return true elseif b == 1 then return false elseif b == 2 then error('boom')
              elseif b == 3 then while true do end else return 'queue', 3 end
            end
            """, "mixed.lua", new RuleLimits { MaxInstructions = 10_000 });

        foreach (byte b in new byte[] { 0, 0, 1, 2, 3, 3, 4 })
        {
            rule.Filter([b]);
        }

        RuleCountersSnapshot c = rule.Counters.Snapshot();
        Assert.Equal(7, c.Calls);
        Assert.Equal(2, c.Pass);
        Assert.Equal(1, c.Drop);
        Assert.Equal(1, c.Queue);
        Assert.Equal(3, c.Accept); // the on-error verdict of the three failures
        Assert.Equal(1, c.ScriptErrors);
        Assert.Equal(2, c.InstructionLimitHits);
        Assert.Equal(3, c.Failures);
    }

    [Fact]
    public void Counters_TimeOneCallInEight()
    {
        using LuaRule rule = LuaRule.Compile("timed", "function filter(pkt) local n = 0 for i = 1, 100 do n = n + i end return true end", "timed.lua", new RuleLimits());
        for (int i = 0; i < 64; i++)
        {
            rule.Filter([1]);
        }

        RuleCountersSnapshot c = rule.Counters.Snapshot();
        Assert.Equal(64, c.Calls);
        Assert.Equal(8, c.TimedCalls);
        Assert.True(c.MeanCallTime > TimeSpan.Zero && c.MaxNanoseconds >= c.MeanCallTime.TotalNanoseconds);
        Assert.Equal((long)(c.MeanCallTime.TotalNanoseconds * 64), c.ElapsedNanoseconds);
    }

    [Fact]
    public void Failures_AreLoggedAtABoundedRate()
    {
        var logger = new ListLogger();
        using LuaRule rule = LuaRule.Compile("noisy", "function filter(pkt) error('every packet') end", "noisy.lua", new RuleLimits(), logger);

        for (int i = 0; i < 500; i++)
        {
            rule.Filter([1]);
        }

        var entry = Assert.Single(logger.Entries);
        Assert.Contains("noisy", entry.Message, StringComparison.Ordinal);
        Assert.Contains("noisy.lua:1: every packet", entry.Message, StringComparison.Ordinal);
        Assert.Equal(500, rule.Counters.Snapshot().ScriptErrors);
    }
}
