using System.Diagnostics;
using NfLua.Tests.Shared;

namespace NfLua.Scripting.Tests.Hardening;

/// <summary>
/// Every hostile script of every class (docs/security.md), with memory limits of 8 MiB, 64 MiB and
/// 1 GiB and the default budget and time limit: each call ends within 100 ms with the script's own
/// verdict or the on-error verdict, the rule serves its next packet, and another rule is unaffected.
/// </summary>
[Collection(HardeningTests.Name)]
public sealed class HostileRuleBoundsTests
{
    /// <summary>What the issue promises: a verdict within 100 ms of a packet's arrival.</summary>
    private static readonly TimeSpan s_bound = TimeSpan.FromMilliseconds(100);

    private static readonly long[] s_memoryLimits = [8L << 20, 64L << 20, 1L << 30];

    // Scripts that never return on their own: every call must end by a limit.
    private static readonly HashSet<string> s_neverReturn =
    [
        .. HostileScripts.CLoops.Keys.Where(k => k is not ("big-string-ops-at-once" or "data-new-huge")).Select(k => "cloops/" + k),
        .. HostileScripts.AfterStop.Keys.Where(k => k != "for-loop-closing-value").Select(k => "afterstop/" + k),
        "clock/full-hash-churn", "clock/rehash-on-every-key", "collector/garbage-at-the-cap",
    ];

    public static TheoryData<string, long> Cases()
    {
        var cases = new TheoryData<string, long>();
        foreach ((string name, _) in HostileScripts.All())
        {
            foreach (long memory in s_memoryLimits)
            {
                cases.Add(name, memory);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void HostileRule_EveryCallEndsWithinTheBound_AndTheQueueKeepsServing(string name, long memoryBytes)
    {
        var limits = new RuleLimits { MaxMemoryBytes = memoryBytes, OnError = ErrorVerdict.Drop };
        var compiling = Stopwatch.StartNew();
        LuaRule hostile;
        try
        {
            hostile = LuaRule.Compile(name, HostileScripts.Get(name), name + ".lua", limits);
        }
        catch (RuleCompileException)
        {
            // Loading is off the packet path; refusing a script whose main chunk runs out of its
            // compile limits is an answer too, as long as it comes within those limits.
            Assert.True(compiling.Elapsed < limits.MaxCompileTime * 1.5, $"{name}: compiling took {compiling.Elapsed}");
            return;
        }

        using (hostile)
        using (LuaRule bystander = LuaRule.Compile("bystander", "function filter(pkt) return pkt:layout{ v = {0, 4} }.v == 4 end", "b.lua", new RuleLimits()))
        {
            for (int call = 0; call < 3; call++)
            {
                RunningTime clock = RunningTime.Start();
                FilterResult result = hostile.Filter([0x45, 0, 0, 20, (byte)call]);
                TimeSpan took = clock.Elapsed(out TimeSpan wall);

                Assert.True(took <= s_bound,
                    $"{name} ({memoryBytes >> 20} MiB), call {call}: {took.TotalMilliseconds:0.0} ms running ({wall.TotalMilliseconds:0.0} ms wall) ({result.Failure}: {result.Error})");
                if (result.Failure != RuleFailure.None)
                {
                    Assert.Equal(FilterVerdict.Drop, result.Verdict); // the on-error verdict
                }
                else
                {
                    Assert.DoesNotContain(name, s_neverReturn);
                }

                Assert.Equal(FilterVerdict.Pass, bystander.Filter([0x45, 0, 0, 20]).Verdict);
            }

        }
    }
}
