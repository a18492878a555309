using System.Diagnostics;

namespace NfLua.Scripting.Tests;

/// <summary>Every call is counted and timed; failures are counted every time and logged at a bounded rate.</summary>
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
            """, "mixed.lua", new RuleLimits { MaxInstructions = 10_000, MaxCallTime = TimeSpan.FromSeconds(2) });

        foreach (byte b in new byte[] { 0, 0, 1, 2, 3, 3, 4 })
        {
            rule.Filter([b]);
        }

        RuleCountersSnapshot c = rule.Counters.Snapshot();
        Assert.Equal(7, c.Calls);
        Assert.Equal(2, c.Pass);
        Assert.Equal(1, c.Drop);
        Assert.Equal(1, c.Queue);
        Assert.Equal(0, c.Accept); // the script accepted nothing...
        Assert.Equal(3, c.OnErrorAccepted); // ...the on-error policy accepted the three failures' packets
        Assert.Equal(0, c.OnErrorDropped);
        Assert.Equal(1, c.ScriptErrors);
        Assert.Equal(2, c.InstructionLimitHits);
        Assert.Equal(3, c.Failures);
    }

    [Fact]
    public void Counters_TimeEveryCall_SoTheLongestIsNeverMissed()
    {
        // Call 37 (not a multiple of anything a sampler would pick) is the only slow one.
        using LuaRule rule = LuaRule.Compile("timed", """
            function filter(pkt)
              local n = 0
              if pkt:layout{ b = {0, 8} }.b == 9 then for i = 1, 3000000 do n = n + i end end
              return true
            end
            """, "timed.lua", new RuleLimits { MaxInstructions = 100_000_000, MaxCallTime = TimeSpan.FromSeconds(5) });
        long slowest = 0;
        long others = 0;
        for (int i = 1; i <= 64; i++)
        {
            long started = Stopwatch.GetTimestamp();
            rule.Filter([i == 37 ? (byte)9 : (byte)1]);
            long elapsed = (long)Stopwatch.GetElapsedTime(started).TotalNanoseconds;
            if (i == 37)
            {
                slowest = elapsed;
            }
            else
            {
                others = Math.Max(others, elapsed);
            }
        }

        RuleCountersSnapshot c = rule.Counters.Snapshot();
        Assert.Equal(64, c.Calls);
        Assert.Equal(64, c.CallTimeHistogram.Sum());
        Assert.True(slowest > 20 * others, $"the slow call took {slowest} ns, the others up to {others} ns: the test needs a clearer contrast");
        Assert.InRange(c.MaxNanoseconds, slowest / 2, slowest);
        Assert.Equal(1, c.CallTimeHistogram[CallTimeHistogram.Bucket(c.MaxNanoseconds)]);
        Assert.True(c.ElapsedNanoseconds >= c.MaxNanoseconds && c.MeanNanoseconds == c.ElapsedNanoseconds / 64);
    }

    [Fact]
    public void CallReturningAfterItsTimeLimit_FailsWithTheOnErrorVerdict()
    {
        // Too short to reach a look at the clock inside the call: only the clock read when it returns sees it was late.
        using LuaRule rule = LuaRule.Compile("late", "function filter(pkt) local n = 0 for i = 1, 50 do n = n + i end return true end", "late.lua",
            new RuleLimits { MaxInstructions = 1_000_000, MaxCallTime = TimeSpan.FromTicks(1), OnError = ErrorVerdict.Drop });

        FilterResult result = rule.Filter([1]);

        Assert.Equal(RuleFailure.TimeLimit, result.Failure);
        Assert.Equal(FilterVerdict.Drop, result.Verdict);
        Assert.Contains("returned after its time limit", result.Error, StringComparison.Ordinal);
        RuleCountersSnapshot c = rule.Counters.Snapshot();
        Assert.Equal((1, 1, 0), (c.TimeLimitHits, c.OnErrorDropped, c.Pass));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(999, 0)]
    [InlineData(1_000, 1)]
    [InlineData(1_999, 1)]
    [InlineData(2_000, 2)]
    [InlineData(1_048_575_999, 20)]
    [InlineData(1_048_576_000, 21)]
    [InlineData(long.MaxValue, 21)]
    public void Histogram_BucketsArePowersOfTwoMicroseconds(long nanoseconds, int bucket)
    {
        Assert.Equal(bucket, CallTimeHistogram.Bucket(nanoseconds));
        Assert.True(bucket == 0 || nanoseconds >= CallTimeHistogram.UpperBoundNanoseconds(bucket - 1));
        Assert.True(nanoseconds < CallTimeHistogram.UpperBoundNanoseconds(bucket) || bucket == CallTimeHistogram.BucketCount - 1);
    }

    [Fact]
    public void Failures_AreLoggedAtABoundedRate()
    {
        var logger = new ListLogger();
        using LuaRule rule = LuaRule.Compile("noisy", "function filter(pkt) error('every packet') end", "noisy.lua", new RuleLimits { MaxCallTime = TimeSpan.FromSeconds(2) }, logger);

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
