using static NfLua.Scripting.Tests.RuleHarness;

namespace NfLua.Scripting.Tests;

/// <summary>
/// Big data objects that became garbage must not count against the memory cap: data.new and Lua's own
/// allocations collect them before refusing (the fuzzing campaign's open finding of the data target).
/// </summary>
public sealed class DataMemoryTests
{
    private const long Cap = 4 * 1024 * 1024;

    private static readonly RuleLimits s_limits = new()
    {
        MaxMemoryBytes = Cap,
        MaxInstructions = 50_000_000, // string.rep charges the budget per byte
        MaxCallTime = TimeSpan.FromSeconds(2), // generous: a full collection on a busy machine
    };

    [Fact]
    public void BigDataObjectsDroppedAcrossCalls_NeverReadNil()
    {
        // Each call holds one 3 MiB object: live memory stays under the cap, but two of them do not fit.
        using LuaRule rule = Rule("return data.new(3 * 1024 * 1024) ~= nil", s_limits);
        for (int call = 1; call <= 20; call++)
        {
            FilterResult result = rule.Filter([1]);
            Assert.True(result.Failure == RuleFailure.None, $"call {call}: {result.Error}");
            Assert.True(result.Verdict == FilterVerdict.Pass, $"call {call}: data.new returned nil");
            Assert.True(rule.MemoryUsed <= Cap, $"call {call}: {rule.MemoryUsed} bytes used");
        }
    }

    [Fact]
    public void BigDataObjectDroppedWithinACall_LeavesRoomForTheNext()
    {
        using LuaRule rule = Rule("""
            for i = 1, 5 do
              local d = data.new(3 * 1024 * 1024)
              if d == nil then return false end
            end
            return true
            """, s_limits);
        for (int call = 1; call <= 5; call++)
        {
            FilterResult result = rule.Filter([1]);
            Assert.True(result.Failure == RuleFailure.None, $"call {call}: {result.Error}");
            Assert.True(result.Verdict == FilterVerdict.Pass, $"call {call}: data.new returned nil");
        }
    }

    [Fact]
    public void BigDataObjectDropped_LeavesRoomForLuaAllocations()
    {
        // The string (and the buffer it is built in) does not fit beside the garbage object: the allocation must reclaim it.
        using LuaRule rule = Rule("""
            local d = data.new(3 * 1024 * 1024)
            if d == nil then return false end
            d = nil
            return #string.rep('x', 1024 * 1024) > 0
            """, s_limits);
        for (int call = 1; call <= 5; call++)
        {
            FilterResult result = rule.Filter([1]);
            Assert.True(result.Failure == RuleFailure.None, $"call {call}: {result.Error}");
            Assert.True(result.Verdict == FilterVerdict.Pass, $"call {call}: data.new returned nil");
        }
    }

    [Fact]
    public void LiveDataBeyondTheCap_StillReadsNil()
    {
        using LuaRule rule = Rule("""
            local a = data.new(3 * 1024 * 1024)
            local b = data.new(3 * 1024 * 1024)
            return a ~= nil and b == nil
            """, s_limits);
        FilterResult result = rule.Filter([1]);
        Assert.True(result.Failure == RuleFailure.None, result.Error);
        Assert.Equal(FilterVerdict.Pass, result.Verdict);
    }
}
