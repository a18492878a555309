namespace NfLua.Scripting.Tests.Hardening;

/// <summary>
/// Class 7: the two use-after-free bugs of the Lua NfLua used to build (Debian 12's 5.4.4), as rules.
/// With that library built with AddressSanitizer, each script below was reported as a
/// heap-use-after-free (docs/internals.md); on NfLua's Lua 5.4.8 they run clean. Here they prove
/// the semantics stay right; scripts/asan runs this project under an AddressSanitizer build, where
/// any bad access fails the run.
/// </summary>
public sealed class MemorySafetyTests
{
    private static readonly RuleLimits s_limits = new()
    {
        MaxMemoryBytes = 1 << 20,
        MaxInstructions = 100_000_000,
        MaxCallTime = TimeSpan.FromSeconds(10),
    };

    [Fact]
    public void ConcatMetamethodThatGrowsTheStack_LeavesTheStackSound()
    {
        // Debian's CVE-2022-33099 patch kept a pointer into the Lua stack across the __concat call;
        // a metamethod that grows the stack freed what it pointed to (upstream reverted it: 603b2c64).
        using LuaRule rule = LuaRule.Compile("concat", """
            local function grow(n) if n > 0 then return 1 + grow(n - 1) end return 0 end
            local mt = { __concat = function(a, b) grow(5000) return "x" end }
            local t = setmetatable({}, mt)
            function filter(pkt)
              local results = {}
              for i = 1, 20 do results[#results + 1] = "a" .. t results[#results + 1] = t .. "b" .. "c" end
              return #results == 40 and results[1] == "x" and results[40] == "x"
            end
            """, "concat.lua", s_limits);

        FilterResult result = rule.Filter([1]);

        Assert.True(result.Failure == RuleFailure.None, result.Error);
        Assert.Equal(FilterVerdict.Pass, result.Verdict);
    }

    [Fact]
    public void NewindexTableHeldOnlyWeakly_SurvivesAnEmergencyCollectionWhileItIsWritten()
    {
        // lua/lua 983bc433 (since 5.4.1): a __newindex table reachable only through a weak-valued
        // metatable, collected by an emergency collection while luaV_finishset stores a new key in it.
        // NfLua's rule states also hold weak tables strongly (the weak mode is gained after
        // setmetatable, which refuses __mode), so the table stays alive and gets every key.
        using LuaRule rule = LuaRule.Compile("finishset", """
            local keys = {}
            for i = 1, 50 do keys[i] = "k" .. i end
            function filter(pkt)
              local stored = 0
              for round = 1, 50 do
                local weak = {}
                local m = setmetatable({}, weak)
                weak.__mode = "v"
                local h = {}
                m.__newindex = h
                local t = setmetatable({}, m)
                local junk = {}
                pcall(function() while true do junk[#junk + 1] = {} end end)
                h, junk = nil, nil
                t[keys[round]] = round
                if rawget(m.__newindex, keys[round]) == round then stored = stored + 1 end
              end
              return stored == 50
            end
            """, "finishset.lua", s_limits);

        FilterResult result = rule.Filter([1]);

        Assert.True(result.Failure == RuleFailure.None, result.Error);
        Assert.Equal(FilterVerdict.Pass, result.Verdict);
    }
}
