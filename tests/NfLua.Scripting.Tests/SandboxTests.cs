using System.Text;
using static NfLua.Scripting.Tests.RuleHarness;

namespace NfLua.Scripting.Tests;

/// <summary>What a rule cannot reach.</summary>
public sealed class SandboxTests
{
    [Theory]
    [InlineData("io == nil")]
    [InlineData("os == nil")]
    [InlineData("debug == nil")]
    [InlineData("package == nil")]
    [InlineData("load == nil and loadfile == nil and dofile == nil")]
    [InlineData("collectgarbage == nil and print == nil")]
    [InlineData("string.dump == nil")]
    [InlineData("luanet == nil and import == nil")]
    [InlineData("not pcall(require, 'io') and not pcall(require, 'os') and not pcall(require, 'debug')")]
    [InlineData("require('data') == data and require('nflua') == nflua")]
    [InlineData("getmetatable('') == 'string'")]
    [InlineData("not pcall(setmetatable, {}, { __gc = function() end })")]
    [InlineData("getmetatable(pkt) == 'data' and not pcall(setmetatable, pkt, {})")]
    [InlineData("math.pi == nil and math.type(1) == 'integer'")]
    public void Rule_CannotReachForbiddenThings(string condition) => AssertHolds(condition);

    [Fact]
    public void Bytecode_IsRefused()
    {
        byte[] bytecode = [0x1B, (byte)'L', (byte)'u', (byte)'a', 0x54, 0x00];
        var ex = Assert.Throws<RuleCompileException>(() => LuaRule.Compile("bc", bytecode, "bc.lua", new RuleLimits()));
        Assert.Contains("binary", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("function filter(pkt) return true", "bad.lua:1:")]
    [InlineData("x = 1.5", "integer-only: 1.5 is not a number here (scale it: 15 tenths)")]
    [InlineData("local x = 1", "defines no global function 'filter(pkt)'")]
    [InlineData("error('boom at load')", "boom at load")]
    [InlineData("while true do end", "the main chunk ran out of its compile")]
    public void BadScript_FailsToCompileWithFileAndLine(string source, string message)
    {
        var ex = Assert.Throws<RuleCompileException>(() => LuaRule.Compile("bad", source, "bad.lua", new RuleLimits()));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Globals_DoNotLeakBetweenRules()
    {
        using LuaRule writer = Rule("shared = 'secret'; string.leak = 'x'; return true");
        using LuaRule reader = Rule("return shared == nil and string.leak == nil");
        writer.Filter([1]);
        Assert.Equal(FilterVerdict.Pass, reader.Filter([1]).Verdict);
    }

    [Fact]
    public void PatternMatching_KeepsBytesAbove0x7F()
    {
        byte[] packet = Encoding.Latin1.GetBytes("\u00ff\u00fe\u0080abc");
        AssertHolds("tostring(pkt):find('\\xFE\\x80a', 1, true) == 2 and tostring(pkt):match('^(\\xFF)') == '\\xFF'", packet);
    }
}
