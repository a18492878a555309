using KeraLua;
using NfLua.Lua.Native;
using NfLua.Lua.Native.Interop;

namespace NfLua.Lua.Native.Tests;

/// <summary>The native allocator cap and the sticky instruction budget that the sandbox builds on.</summary>
public sealed unsafe class NativeLimitsTests : IDisposable
{
    private const nuint MemoryLimit = 4 * 1024 * 1024;
    private readonly LimitedLuaState _state;
    private readonly KeraLua.Lua _lua;
    private readonly NfLuaLimits* _limits;

    public NativeLimitsTests()
    {
        _state = new LimitedLuaState(MemoryLimit);
        _lua = _state.Lua;
        _lua.OpenLibs();
        _limits = _state.Limits;
    }

    public void Dispose() => _state.Dispose();

    [Fact]
    public void Limits_OfAForeignState_AreNull()
    {
        using var other = new KeraLua.Lua(openLibs: false);
        Assert.False(LimitedLuaState.IsLimited(other.Handle));
        Assert.True(LimitedLuaState.IsLimited(_lua.Handle));
    }

    [Fact]
    public void Allocation_PastTheCap_FailsAndTheStateStaysUsable()
    {
        string error = RunExpectingError("local t = {} for i = 1, 1 << 40 do t[i] = i end");

        Assert.Contains("not enough memory", error, StringComparison.Ordinal);
        Assert.True(_limits->MemRefusals > 0);
        Assert.True(_limits->MemPeak <= MemoryLimit);
        Assert.Equal(7, RunInteger("local t = {} for i = 1, 1000 do t[i] = i end return #t // 142"));
    }

    [Fact]
    public void Allocation_WhileSuspended_IsNeverRefused()
    {
        _limits->HostDepth = 1;
        Assert.Equal(5_000_000, RunInteger("return #string.rep('x', 5000000)"));
        _limits->HostDepth = 0;
        Assert.True(_limits->MemPeak > MemoryLimit);
    }

    [Theory]
    [InlineData("while true do end")]
    [InlineData("local n = 0 while true do pcall(function() while true do end end) n = n + 1 end")]
    [InlineData("while true do pcall(error, 'x') end")]
    [InlineData("local co = coroutine.wrap(function() while true do end end) co()")]
    [InlineData("local function f(n) return f(n + 1) end return f(1)")]
    [InlineData("local t = {} for i = 1, 100 do t[i] = 100 - i end table.sort(t, function(a, b) while true do end end)")]
    [InlineData("return string.rep('a', 3000):find('.-.-.-b')")]
    [InlineData("return string.rep('', 1 << 50)")]
    [InlineData("return table.move({}, 1, 1 << 50, 2)")]
    [InlineData("return string.rep('a', 100000):find(string.rep('a', 5000) .. 'b', 1, true)")]
    public void Budget_EndsEveryEndlessScript(string chunk)
    {
        Arm(200_000);
        string error = RunExpectingError(chunk);

        Assert.Contains("instruction limit exceeded", error, StringComparison.Ordinal);
        Assert.True(_state.BudgetSpent);
        Assert.True(_limits->BudgetExhaustions > 0);
    }

    [Fact]
    public void Budget_CountsCoroutinesCreatedInAnEarlierCall()
    {
        Assert.False(_lua.DoString("co = coroutine.wrap(function() while true do coroutine.yield() end end)"));
        Arm(100_000);
        string error = RunExpectingError("while true do co() end");
        Assert.Contains("instruction limit exceeded", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Budget_ReArmed_LetsTheNextCallRun()
    {
        Arm(10_000);
        RunExpectingError("while true do end");
        Arm(10_000);
        Assert.Equal(55, RunInteger("local s = 0 for i = 1, 10 do s = s + i end return s"));
    }

    [Fact]
    public void TimeLimit_EndsALoopThatTheBudgetWouldAllow()
    {
        _state.TimeLimit = TimeSpan.FromMilliseconds(50);
        Arm(long.MaxValue);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string error = RunExpectingError("local n = 0 while true do pcall(function() n = n + 1 end) end");

        Assert.Contains("time limit exceeded", error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(1, _limits->TimeExhaustions);
    }

    [Fact]
    public void Budget_Disabled_CountsNothing()
    {
        _state.DisarmBudget();
        Assert.Equal(1_000_000, RunInteger("local n = 0 for i = 1, 1000000 do n = n + 1 end return n"));
    }

    [Fact]
    public void CountHook_StillChargesEveryInstruction_ThoughItCountsInline()
    {
        // patches/30-count-hook.patch: between two hook events the VM counts inline; the events (and so the
        // charges, NFLUA_HOOK_STEP units each) must come exactly as often as before: once per 128 instructions.
        const int HookStep = 128;
        long Charged(int iterations)
        {
            Arm(long.MaxValue / 2);
            Assert.Equal(iterations, RunInteger($"local n = 0 for i = 1, {iterations} do n = i end return n"));
            long charged = _limits->Charged;
            _state.DisarmBudget();
            return charged;
        }

        long small = Charged(1000), large = Charged(1000 + (HookStep * 500));
        long extra = large - small;

        // 500 * 128 more iterations of two instructions (MOVE, FORLOOP): 1000 more events of 128 units, give or take
        // the one the count left over from the earlier call.
        Assert.InRange(extra, (1000 - 1) * HookStep, (1000 + 1) * HookStep);
    }

    private void Arm(long instructions) => _state.ArmBudget(instructions);

    private long RunInteger(string chunk)
    {
        Assert.Equal(LuaStatus.OK, _lua.LoadString(chunk));
        Assert.Equal(LuaStatus.OK, _lua.PCall(0, 1, 0));
        long value = _lua.ToInteger(-1);
        _lua.SetTop(0);
        return value;
    }

    private string RunExpectingError(string chunk)
    {
        Assert.Equal(LuaStatus.OK, _lua.LoadString(chunk));
        LuaStatus status = _lua.PCall(0, 0, 0);
        Assert.NotEqual(LuaStatus.OK, status);
        string message = _lua.ToString(-1, callMetamethod: false) ?? "";
        _lua.SetTop(0);
        return message;
    }
}
