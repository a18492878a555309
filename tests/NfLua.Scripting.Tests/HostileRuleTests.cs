using System.Diagnostics;
using static NfLua.Scripting.Tests.RuleHarness;

namespace NfLua.Scripting.Tests;

/// <summary>Rules that try to hang, exhaust or break the host: each ends by its limit, and the rule and others keep working.</summary>
public sealed class HostileRuleTests
{
    private static readonly RuleLimits s_limits = new()
    {
        MaxInstructions = 1_000_000,
        MaxMemoryBytes = 2 * 1024 * 1024,
        MaxCallTime = TimeSpan.FromSeconds(2), // generous: these tests are about the other limits, on a busy machine
        OnError = ErrorVerdict.Drop,
    };

    [Theory]
    [InlineData("while true do end", RuleFailure.InstructionLimit)]
    [InlineData("while true do pcall(function() while true do end end) end", RuleFailure.InstructionLimit)]
    [InlineData("while true do pcall(error, {}) end", RuleFailure.InstructionLimit)]
    [InlineData("coroutine.wrap(function() while true do end end)()", RuleFailure.InstructionLimit)]
    [InlineData("local t = {} for i = 1, 50 do t[i] = i end table.sort(t, function(a, b) while true do end end)", RuleFailure.InstructionLimit)]
    [InlineData("return string.rep('a', 5000):find('.-.-.-.-b')", RuleFailure.InstructionLimit)]
    [InlineData("return string.rep('', 1 << 52)", RuleFailure.InstructionLimit)]
    [InlineData("return table.move({}, 1, 1 << 52, 2)", RuleFailure.InstructionLimit)]
    [InlineData("local function f() return f() end return f()", RuleFailure.InstructionLimit)]
    [InlineData("local t = {} while true do t[#t + 1] = {} end", RuleFailure.MemoryLimit)]
    [InlineData("local s = 'x' while true do s = s .. s end", RuleFailure.MemoryLimit)]
    [InlineData("return string.rep('x', 1 << 30)", RuleFailure.MemoryLimit)]
    [InlineData("local function f(n) return 1 + f(n + 1) end return f(1)", RuleFailure.MemoryLimit)]
    [InlineData("error(setmetatable({}, { __tostring = function() while true do end end }))", RuleFailure.ScriptError)]
    [InlineData("coroutine.yield()", RuleFailure.ScriptError)]
    [InlineData("setmetatable({}, { __gc = function() while true do end end })", RuleFailure.ScriptError)]
    [InlineData("local mt = {} local t = setmetatable({}, mt) mt.__gc = function() while true do end end t = nil return true", RuleFailure.None)]
    [InlineData("return 1 // 0", RuleFailure.ScriptError)]
    public void HostileFilter_EndsWithTheOnErrorVerdict(string body, RuleFailure expected)
    {
        using LuaRule hostile = Rule(body, s_limits);
        using LuaRule bystander = Rule("return pkt:layout{ v = {0, 4} }.v == 4", s_limits);

        for (int round = 0; round < 3; round++)
        {
            var clock = Stopwatch.StartNew();
            FilterResult result = hostile.Filter([0x45, 0, 0, 20]);
            clock.Stop();

            Assert.Equal(expected, result.Failure);
            Assert.Equal(expected == RuleFailure.None ? FilterVerdict.Pass : FilterVerdict.Drop, result.Verdict);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
            Assert.Equal(FilterVerdict.Pass, bystander.Filter([0x45, 0, 0, 20]).Verdict);
        }
    }

    [Fact]
    public void SlowGrowthAcrossCalls_HitsTheMemoryLimitAndTheStateStaysUsable()
    {
        using LuaRule rule = Rule("hoard = hoard or {} hoard[#hoard + 1] = string.rep('x', 100000) return true", s_limits);
        RuleFailure last = RuleFailure.None;
        for (int i = 0; i < 100 && last == RuleFailure.None; i++)
        {
            last = rule.Filter([1]).Failure;
        }

        Assert.Equal(RuleFailure.MemoryLimit, last);
        Assert.True(rule.MemoryUsed <= s_limits.MaxMemoryBytes);
    }

    [Fact]
    public void RuleAfterALimitHit_RunsNormallyAgain()
    {
        using LuaRule rule = Rule("if pkt:layout{ a = {0, 8} }.a == 1 then while true do end end return true", s_limits);
        Assert.Equal(RuleFailure.InstructionLimit, rule.Filter([1]).Failure);
        FilterResult next = rule.Filter([2]);
        Assert.Equal(RuleFailure.None, next.Failure);
        Assert.Equal(FilterVerdict.Pass, next.Verdict);
    }

    [Fact]
    public void TimeLimit_StopsARuleTheBudgetWouldLetRun()
    {
        var limits = s_limits with { MaxInstructions = 1_000_000_000_000, MaxCallTime = TimeSpan.FromMilliseconds(30) };
        FilterResult result = Run("while true do end", [1], limits);
        Assert.Equal(RuleFailure.TimeLimit, result.Failure);
    }

    [Fact]
    public void TimeLimit_StopsALongCLoopTheBudgetWouldLetRun()
    {
        // table.move charges the budget from C, one unit per element, each ~100 times a VM instruction: the
        // wall clock must be looked at from there too, or the call runs until the whole budget is spent.
        var limits = s_limits with { MaxInstructions = 100_000_000, MaxCallTime = TimeSpan.FromMilliseconds(30) };
        var clock = Stopwatch.StartNew();
        FilterResult result = Run("return table.move({}, 1, 1 << 52, 2)", [1], limits);
        Assert.Equal(RuleFailure.TimeLimit, result.Failure);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }
}
