namespace NfLua.Scripting.Tests.Hardening;

/// <summary>
/// Class 3: once a call is stopped by its limits, nothing of the rule runs again until the next
/// call, on any thread of its state: no __close handler, no message handler, no resumer, no
/// coroutine.wrap function. Each script counts what ran after the stop; the next call reports it.
/// </summary>
[Collection(HardeningTests.Name)]
public sealed class StickyStopTests
{
    private static readonly RuleLimits s_limits = new() { MaxInstructions = 100_000, MaxCallTime = TimeSpan.FromSeconds(2), OnError = ErrorVerdict.Drop };

    [Theory]
    [InlineData("close handler", """
        local x <close> = setmetatable({}, {__close = function() ran = ran + 1 end})
        while true do end
        """)]
    [InlineData("close handler that is a wrapped coroutine", """
        local x <close> = setmetatable({}, {__close = coroutine.wrap(function() ran = ran + 1 end)})
        while true do end
        """)]
    [InlineData("message handler", """
        xpcall(function() while true do end end, function(e) ran = ran + 1 return e end)
        ran = ran + 1
        """)]
    [InlineData("code after pcall", """
        pcall(function() while true do end end)
        ran = ran + 1
        """)]
    [InlineData("resumer of a stopped coroutine", """
        local co = coroutine.create(function() while true do end end)
        coroutine.resume(co)
        ran = ran + 1
        """)]
    [InlineData("caller of a stopped wrapped coroutine", """
        pcall(coroutine.wrap(function() while true do end end))
        ran = ran + 1
        """)]
    [InlineData("pending closes of other coroutines", """
        local co = coroutine.wrap(function()
          local c <close> = setmetatable({}, {__close = function() ran = ran + 1 end})
          coroutine.yield()
        end)
        co()
        local x <close> = setmetatable({}, {__close = function() pcall(co) end})
        while true do end
        """)]
    public void AfterAStop_NothingOfTheRuleRuns(string what, string body)
    {
        using LuaRule rule = LuaRule.Compile("sticky", $$"""
            ran = 0
            function filter(pkt)
              if pkt:layout{ b = {0, 8} }.b == 1 then return ran == 0 end
              {{body}}
              return true
            end
            """, "sticky.lua", s_limits);

        FilterResult stopped = rule.Filter([0]);
        FilterResult report = rule.Filter([1]);

        Assert.True(stopped.Failure is RuleFailure.InstructionLimit or RuleFailure.TimeLimit, $"{what}: {stopped.Failure} {stopped.Error}");
        Assert.True(report.Failure == RuleFailure.None, $"{what}: {report.Error}");
        Assert.True(report.Verdict == FilterVerdict.Pass, $"{what}: rule code ran after the stop");
    }

    [Fact]
    public async Task CoroutineStoppedWithAPendingClose_ClosedInALaterCall_RunsItsHandlerUnderTheLimits()
    {
        // The stop is raised by the count hook inside the coroutine, which leaves that thread's hooks
        // off (Lua re-enables them only in pcall); closing the dead coroutine later used to run its
        // __close handler with no hook at all: the call never ended.
        LuaRule rule = LuaRule.Compile("sticky", """
            local co = coroutine.wrap(function()
              local c <close> = setmetatable({}, {__close = function() while true do end end})
              while true do end
            end)
            local first = true
            function filter(pkt)
              if first then first = false co() end
              pcall(co)
              return true
            end
            """, "sticky.lua", s_limits);

        FilterResult stopped = rule.Filter([0]);
        Task<FilterResult> closing = Task.Run(() => rule.Filter([0]), TestContext.Current.CancellationToken);
        Task first = await Task.WhenAny(closing, Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

        Assert.Equal(RuleFailure.InstructionLimit, stopped.Failure);
        Assert.True(first == closing, "the call that closed the coroutine never ended"); // (the rule is then left to its thread)
        FilterResult closed = await closing;
        Assert.True(closed.Failure is RuleFailure.InstructionLimit or RuleFailure.TimeLimit, closed.Error);
        rule.Dispose();
    }

    [Fact]
    public void AfterAStop_TheNextCallRunsNormally()
    {
        using LuaRule rule = LuaRule.Compile("sticky", """
            function filter(pkt)
              if pkt:layout{ b = {0, 8} }.b == 0 then
                local co = coroutine.wrap(function() while true do end end)
                local x <close> = setmetatable({}, {__close = function() co() end})
                while true do end
              end
              local n = 0
              for i = 1, 1000 do n = n + i end
              local co = coroutine.wrap(function() coroutine.yield(n) end)
              return co() == 500500
            end
            """, "sticky.lua", s_limits);

        Assert.Equal(RuleFailure.InstructionLimit, rule.Filter([0]).Failure);
        FilterResult next = rule.Filter([1]);
        Assert.Equal(RuleFailure.None, next.Failure);
        Assert.Equal(FilterVerdict.Pass, next.Verdict);
    }
}
