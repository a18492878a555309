using NfLua.Scripting;

namespace NfLua.Scripting.Tests;

/// <summary>A float literal in a rule is refused with what the author needs: the language is integer-only, and how to scale.</summary>
public sealed class IntegerOnlyHintTests
{
    [Theory]
    [InlineData("2.5", "r.lua:2: NfLua's Lua is integer-only: 2.5 is not a number here (scale it: 25 tenths)")]
    [InlineData("0.25", "r.lua:2: NfLua's Lua is integer-only: 0.25 is not a number here (scale it: 25 hundredths)")]
    [InlineData("2.50", "r.lua:2: NfLua's Lua is integer-only: 2.50 is not a number here (scale it: 25 tenths)")]
    [InlineData("1.125", "r.lua:2: NfLua's Lua is integer-only: 1.125 is not a number here (scale it: 1125 thousandths)")]
    [InlineData("3.0", "r.lua:2: NfLua's Lua is integer-only: 3.0 is not a number here (write it as the integer 3)")]
    [InlineData("1e9", "r.lua:2: NfLua's Lua is integer-only: 1e9 is not a number here (write it as the integer 1000000000)")]
    [InlineData("1.5e-3", "r.lua:2: NfLua's Lua is integer-only: 1.5e-3 is not a number here (scale it: 15 units of 10^-4)")]
    [InlineData(".5", "r.lua:2: NfLua's Lua is integer-only: .5 is not a number here (scale it: 5 tenths)")]
    [InlineData("1e30", "r.lua:2: NfLua's Lua is integer-only: 1e30 is not a number here (it is larger than the largest integer, 9223372036854775807)")]
    public void FloatLiteral_IsNamedWithHowToScaleIt(string literal, string expected)
    {
        var refused = Assert.Throws<RuleCompileException>(() => LuaRule.Compile("r", $"local rate = 1\nlocal x = {literal}\nfunction filter(pkt) return true end", "r.lua", new RuleLimits()));

        Assert.Equal(expected, refused.Message);
    }

    [Fact]
    public void OtherSyntaxErrors_AreLeftAsLuaSaysThem()
    {
        var refused = Assert.Throws<RuleCompileException>(() => LuaRule.Compile("r", "function filter(pkt) return 0x end", "r.lua", new RuleLimits()));

        Assert.DoesNotContain("integer-only", refused.Message, StringComparison.Ordinal);
        Assert.StartsWith("r.lua:1: malformed number near '0x", refused.Message, StringComparison.Ordinal);
    }
}
