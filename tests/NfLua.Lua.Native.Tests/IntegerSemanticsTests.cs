using KeraLua;
using NfLua.Lua.Native;

namespace NfLua.Lua.Native.Tests;

/// <summary>The integer-only semantics of docs/internals.md ("The integer build"), observed through KeraLua as every NfLua host sees them.</summary>
public sealed class IntegerSemanticsTests : IDisposable
{
    private readonly KeraLua.Lua _lua;

    public IntegerSemanticsTests()
    {
        LuaRuntimeCheck.EnsureIntegerLua();
        _lua = new KeraLua.Lua(openLibs: true);
    }

    public void Dispose() => _lua.Dispose();

    [Theory]
    [InlineData("return 1.5")]
    [InlineData("return 1e3")]
    [InlineData("return 0x1p4")]
    [InlineData("return .5")]
    [InlineData("return 3.")]
    public void FloatLiteral_FailsToCompile(string chunk)
    {
        Assert.Equal(LuaStatus.ErrSyntax, _lua.LoadString(chunk));
        Assert.Contains("malformed number", _lua.ToString(-1), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("return 7/2", 3)]
    [InlineData("return -7/2", -4)]
    [InlineData("return -7//2", -4)]
    [InlineData("local a, b = 7, 2 return a / b", 3)]
    [InlineData("return 7 % -3", -2)]
    [InlineData("return 2^10", 1024)]
    [InlineData("local a, b = 3, 0 return a ^ b", 1)]
    [InlineData("return 2^64", 0)]
    [InlineData("return '10' / '3'", 3)]
    [InlineData("return math.maxinteger + 1 == math.mininteger and 1 or 0", 1)]
    [InlineData("return math.mininteger // -1 == math.mininteger and 1 or 0", 1)]
    [InlineData("return tonumber('0x10')", 16)]
    [InlineData("return math.abs(-5)", 5)]
    [InlineData("return math.max(3, 9, -1)", 9)]
    [InlineData("return math.floor(7)", 7)]
    public void Arithmetic_GivesIntegers(string chunk, long expected)
    {
        Eval(chunk);
        Assert.True(_lua.IsInteger(-1), $"{chunk} did not give an integer");
        Assert.Equal(expected, _lua.ToInteger(-1));
    }

    [Theory]
    [InlineData("return tostring(10/2)", "5")]
    [InlineData("return math.type(7/2)", "integer")]
    [InlineData("return string.format('%d', 7/2)", "3")]
    [InlineData("local t = {} t[6/2] = 'x' return t[3]", "x")]
    public void DivisionResult_BehavesAsAnInteger(string chunk, string expected)
    {
        Eval(chunk);
        Assert.Equal(expected, _lua.ToString(-1));
    }

    [Theory]
    [InlineData("local a, b = 7, 0 return a / b", "attempt to divide by zero")]
    [InlineData("local a, b = 7, 0 return a // b", "attempt to divide by zero")]
    [InlineData("local a, b = 5, 0 return a % b", "attempt to perform 'n%%0'")]
    [InlineData("local a, b = 2, -1 return a ^ b", "negative power")]
    [InlineData("return string.format('%f', 1)", "numbers are integers")]
    [InlineData("return string.format('%5.2e', 1)", "numbers are integers")]
    [InlineData("return string.format('%g', 1)", "numbers are integers")]
    [InlineData("return string.format('%a', 1)", "numbers are integers")]
    [InlineData("return string.pack('d', 1)", "numbers are integers")]
    [InlineData("return string.pack('f', 1)", "numbers are integers")]
    [InlineData("return string.unpack('n', ('x'):rep(8))", "numbers are integers")]
    public void ForbiddenOperation_RaisesLuaError(string chunk, string message)
    {
        Assert.Equal(LuaStatus.OK, _lua.LoadString(chunk));
        Assert.Equal(LuaStatus.ErrRun, _lua.PCall(0, 1, 0));
        Assert.Contains(message.Replace("%%", "%", StringComparison.Ordinal), _lua.ToString(-1), StringComparison.Ordinal);
    }

    [Fact]
    public void ToNumber_OfNonIntegerText_IsNil()
    {
        Eval("return tonumber('1.5'), tonumber('1e3'), tonumber('inf'), tonumber('12')", results: 4);
        Assert.True(_lua.IsNil(-4));
        Assert.True(_lua.IsNil(-3));
        Assert.True(_lua.IsNil(-2));
        Assert.Equal(12, _lua.ToInteger(-1));
    }

    [Theory]
    [InlineData("pi")]
    [InlineData("huge")]
    [InlineData("sqrt")]
    [InlineData("sin")]
    [InlineData("cos")]
    [InlineData("exp")]
    [InlineData("log")]
    [InlineData("random")]
    [InlineData("modf")]
    public void MathLibrary_HasNoFloatMember(string name)
    {
        Eval($"return math.{name}");
        Assert.True(_lua.IsNil(-1), $"math.{name} exists");
    }

    [Theory]
    [InlineData(2.9, 2)]
    [InlineData(-2.9, -2)]
    [InlineData(double.NaN, 0)]
    [InlineData(1e300, long.MaxValue)]
    [InlineData(-1e300, long.MinValue)]
    [InlineData(double.PositiveInfinity, long.MaxValue)]
    public void PushedDouble_ArrivesAsTruncatedInteger(double value, long expected)
    {
        _lua.PushNumber(value);
        Assert.True(_lua.IsInteger(-1));
        Assert.Equal(expected, _lua.ToInteger(-1));
    }

    [Fact]
    public void ToNumber_ReturnsTheIntegerAsADouble()
    {
        Eval("return 41 + 1");
        Assert.Equal(42.0, _lua.ToNumber(-1));
        Assert.Equal(42.0, _lua.CheckNumber(-1));
    }

    [Fact]
    public void Version_Is504() => Assert.Equal(504, _lua.Version());

    [Fact]
    public void SelfTest_AcceptsTheBuiltLibrary() => Assert.Empty(LuaRuntimeCheck.Problems);

    private void Eval(string chunk, int results = 1)
    {
        Assert.Equal(LuaStatus.OK, _lua.LoadString(chunk));
        LuaStatus status = _lua.PCall(0, results, 0);
        Assert.True(status == LuaStatus.OK, $"{chunk}: {_lua.ToString(-1)}");
    }
}
