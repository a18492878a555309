using static NfLua.Scripting.Tests.RuleHarness;

namespace NfLua.Scripting.Tests;

/// <summary>luadata's API as README.md ("The data module") describes it: layouts, bit fields, endianness, strings, segments, bounds.</summary>
public sealed class DataModuleTests
{
    private static readonly byte[] s_bytes = [0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0];

    [Theory]
    [InlineData("pkt:layout{ a = {0, 4} }.a == 0x1")]
    [InlineData("pkt:layout{ a = {4, 4} }.a == 0x2")]
    [InlineData("pkt:layout{ a = {4, 8} }.a == 0x23")]
    [InlineData("pkt:layout{ a = {0, 16} }.a == 0x1234")]
    [InlineData("pkt:layout{ a = {0, 16, 'n', 'big'} }.a == 0x1234")]
    [InlineData("pkt:layout{ a = {0, 16, 'number', 'net'} }.a == 0x1234")]
    [InlineData("pkt:layout{ a = {0, 16, 'n', 'little'} }.a == 0x3412")]
    [InlineData("pkt:layout{ a = {0, 16, 'little'} }.a == 0x3412")]
    [InlineData("pkt:layout{ a = {offset = 0, length = 32, endian = 'le'} }.a == 0x78563412")]
    [InlineData("pkt:layout{ a = {0, 64} }.a == 0x123456789ABCDEF0")]
    [InlineData("pkt:layout{ a = {1, 1} }.a == 0 and pkt:layout{ a = {3, 1} }.a == 1")]
    [InlineData("pkt:layout{ s = {2, 3, 's'} }.s == '\\x56\\x78\\x9A'")]
    [InlineData("pkt:layout{ s = {offset = 6, length = 2, type = 'string'} }.s == '\\xDE\\xF0'")]
    public void Layout_ReadsFieldsAsLuadataDoes(string condition) => AssertHolds(condition, s_bytes);

    [Theory]
    [InlineData("pkt:layout{ a = {60, 8} }.a == nil")]
    [InlineData("pkt:layout{ a = {0, 8} }.missing == nil")]
    [InlineData("pkt:layout{ s = {7, 2, 's'} }.s == nil")]
    [InlineData("pkt.anything == nil")]
    [InlineData("pkt:segment(9) == nil and pkt:segment(8) ~= nil and #pkt:segment(8) == 0")]
    [InlineData("pkt:segment(2, 7) == nil and pkt:segment(-1) == nil")]
    public void Layout_OutOfBoundsOrUnknown_ReadsNil(string condition) => AssertHolds(condition, s_bytes);

    [Theory]
    [InlineData("#pkt == 8 and #pkt:segment(2) == 6 and #pkt:segment(2, 3) == 3")]
    [InlineData("pkt:segment(2):layout{ a = {0, 8} }.a == 0x56")]
    [InlineData("tostring(pkt:segment(6)) == '\\xDE\\xF0'")]
    [InlineData("tostring(pkt):byte(8) == 0xF0 and #tostring(pkt) == 8")]
    [InlineData("tostring(pkt):find('\\x9A\\xBC') == 5")]
    public void Segment_SharesBytesAndLength(string condition) => AssertHolds(condition, s_bytes);

    [Fact]
    public void Write_ThroughASegment_ChangesThePacketAndMarksItModified()
    {
        byte[] packet = (byte[])s_bytes.Clone();
        FilterResult result = Run("""
            local seg = pkt:segment(2)
            seg:layout{ a = {0, 8}, b = {12, 4}, le = {16, 16, 'little'}, s = {4, 2, 's'} }
            seg.a = 0xAA
            seg.b = 0xF
            seg.le = 0x0102
            seg.s = 'hi'
            return pkt:layout{ x = {16, 8} }.x == 0xAA
            """, packet);

        Assert.Equal(FilterVerdict.Pass, result.Verdict);
        Assert.True(result.Modified);
        Assert.Equal(new byte[] { 0x12, 0x34, 0xAA, 0x7F, 0x02, 0x01, (byte)'h', (byte)'i' }, packet);
    }

    [Theory]
    [InlineData("pkt:layout{ a = {0, 8} } pkt.a = 'x'", "a number field takes an integer")]
    [InlineData("pkt:layout{ a = {0, 8} } pkt.nope = 1", "does not have")]
    [InlineData("pkt:layout{ a = {60, 8} } pkt.a = 1", "outside")]
    [InlineData("pkt:layout{ s = {0, 2, 's'} } pkt.s = 'long'", "longer than its field")]
    [InlineData("data.layout{ a = {0, 65} }", "at most 64 bits")]
    [InlineData("data.layout{ a = {-1, 8} }", "offset must be")]
    [InlineData("data.layout{ a = {0, 8, 'float'} }", "unknown type")]
    [InlineData("data.layout{ a = {0, 8, 'n', 'middle'} }", "unknown endianness")]
    public void BadWriteOrLayout_IsAScriptErrorWithAMessage(string body, string message)
    {
        FilterResult result = Run(body + "\nreturn true", (byte[])s_bytes.Clone());
        Assert.Equal(RuleFailure.ScriptError, result.Failure);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Contains("test.lua:", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pkt.a = 'x'", "test.lua:4: a number field takes an integer")]
    [InlineData("pkt.nope = 1", "test.lua:4: attempt to write a field that the data object's layout does not have")]
    [InlineData("local ok, err = pcall(function() pkt.a = 'x' end) if not ok then error(err, 0) end", "test.lua:4: a number field takes an integer")]
    public void BadWrite_RaisesAtTheWritersLine(string write, string message)
    {
        using LuaRule rule = LuaRule.Compile("w", $"local l = data.layout{{ a = {{0, 8}} }}\nfunction filter(pkt)\n  pkt:layout(l)\n  {write}\n  return true\nend",
            "test.lua", RuleHarness.Relaxed);

        FilterResult result = rule.Filter((byte[])s_bytes.Clone());

        Assert.Equal(RuleFailure.ScriptError, result.Failure);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("nflua-sandbox", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("#data.new(4) == 4 and data.new(4):layout{ a = {0, 32} }.a == 0")]
    [InlineData("data.new{1, 2, 255}:layout{ a = {0, 24} }.a == 0x0102FF")]
    [InlineData("tostring(data.new('ab\\xFF')) == 'ab\\xFF'")]
    [InlineData("data.new(0) == nil and data.new('') == nil and data.new({}) == nil and data.new(true) == nil")]
    [InlineData("data.new{1, 256} == nil and data.new{1, 'x'} == nil and data.new(-3) == nil")]
    [InlineData("data.new(1 << 40) == nil")]
    public void New_BuildsDataObjects(string condition) => AssertHolds(condition);

    [Fact]
    public void New_SegmentsOfOwnedBytes_OutliveTheirParent()
    {
        AssertHolds("""
            (function()
              local seg = data.new{9, 8, 7, 6}:segment(2)
              for i = 1, 20 do local junk = {} for j = 1, 1000 do junk[j] = j end end
              return tostring(seg) == '\x07\x06'
            end)()
            """);
    }

    [Fact]
    public void PacketObject_KeptPastItsCall_ReadsNil()
    {
        using LuaRule rule = Rule("""
            if kept == nil then kept = pkt; kept:layout{ a = {0, 8} }; return true end
            return kept.a == nil and #kept == 0 and tostring(kept) == '' and kept:segment(0) == nil
            """);
        Assert.Equal(FilterVerdict.Pass, rule.Filter([1, 2, 3]).Verdict);
        FilterResult second = rule.Filter([4, 5, 6]);
        Assert.Equal(RuleFailure.None, second.Failure);
        Assert.Equal(FilterVerdict.Pass, second.Verdict);
    }

    [Fact]
    public void PacketObject_KeptPastItsCall_NeverSeesTheNewPacketOrItsLayout()
    {
        using LuaRule rule = Rule("""
            local l = data.layout{ a = {0, 8} }
            pkt:layout(l)
            if kept == nil then kept = pkt return true end
            return kept.a == nil and pkt.a == 9 and kept ~= pkt and #kept == 0 and tostring(kept) == ''
            """);
        Assert.Equal(FilterVerdict.Pass, rule.Filter([7]).Verdict);
        FilterResult second = rule.Filter([9]);
        Assert.True(second.Failure == RuleFailure.None, second.Error);
        Assert.Equal(FilterVerdict.Pass, second.Verdict);
    }

    [Fact]
    public void PacketObject_WrittenPastItsCall_IsAnError()
    {
        using LuaRule rule = Rule("if kept == nil then kept = pkt:layout{ a = {0, 8} } return true end kept.a = 1 return true");
        rule.Filter([1]);
        FilterResult result = rule.Filter([2]);
        Assert.Equal(RuleFailure.ScriptError, result.Failure);
        Assert.Contains("after its verdict", result.Error, StringComparison.Ordinal);
    }
}
