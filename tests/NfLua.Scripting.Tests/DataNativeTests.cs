using System.Globalization;
using System.Text;
using NfLua.Packets;
using NfLua.Scripting.Interop;
using static NfLua.Scripting.Tests.RuleHarness;

namespace NfLua.Scripting.Tests;

/// <summary>
/// The data module's C functions (native/nflua_data.c): the structures they share with the host, field reads and
/// writes against NfLua.Packets' <see cref="BitField"/> (the specification of luadata's bit order and little
/// endianness), bounds with layouts a script tampered with, objects over a packet whose call has ended, memory.
/// </summary>
public sealed class DataNativeTests
{
    private static readonly Endianness[] s_endians = [Endianness.Big, Endianness.Little, Endianness.Host];

    [Fact]
    public void NativeStructures_AreTheHostsOwn()
    {
        (long[] native, long[] managed) = DataLayoutCheck.Sizes();
        Assert.NotEmpty(managed);
        Assert.Equal(managed, native);
    }

    [Fact]
    public void NumberFieldReads_MatchBitField_AtEveryOffsetWidthAndEndianness()
    {
        var random = new Random(18);
        byte[] bytes = new byte[24];
        random.NextBytes(bytes);
        var checks = new StringBuilder();
        int count = 0;
        foreach (Endianness endian in s_endians)
        {
            for (int bits = 1; bits <= 64; bits++)
            {
                // Every start bit of the first two bytes, a few further ones, and the last fit and first misfit.
                var offsets = new SortedSet<long> { bytes.Length * 8 - bits, bytes.Length * 8 - bits + 1, bytes.Length * 8 };
                for (long offset = 0; offset < 16; offset++)
                {
                    offsets.Add(offset);
                }

                for (int i = 0; i < 4; i++)
                {
                    offsets.Add(random.Next(0, bytes.Length * 8 - bits + 1));
                }

                foreach (long offset in offsets)
                {
                    string expected = BitField.TryRead(bytes, offset, bits, endian, out ulong value)
                        ? string.Create(CultureInfo.InvariantCulture, $"0x{value:X}")
                        : "nil";
                    checks.Append(CultureInfo.InvariantCulture, $"check({offset}, {bits}, '{Word(endian)}', {expected})\n");
                    count++;
                }
            }
        }

        FilterResult result = Run($$"""
            local n = 0
            local function check(offset, bits, endian, expected)
              local got = pkt:layout{ f = { offset, bits, 'n', endian } }.f
              if got ~= expected then
                error(string.format('field {%d, %d, %s}: %s, expected %s', offset, bits, endian, tostring(got), tostring(expected)), 0)
              end
              n = n + 1
            end
            {{checks}}
            return n == {{count}}
            """, bytes, new RuleLimits { MaxCallTime = TimeSpan.FromSeconds(5), MaxInstructions = 100_000_000 });

        Assert.True(result.Failure == RuleFailure.None, result.Error);
        Assert.Equal(FilterVerdict.Pass, result.Verdict);
    }

    [Fact]
    public void NumberFieldWrites_MatchBitField_AndLeaveOtherBitsAlone()
    {
        var random = new Random(1818);
        byte[] original = new byte[12];
        random.NextBytes(original);
        var checks = new StringBuilder();
        int count = 0;
        foreach (Endianness endian in s_endians)
        {
            for (int bits = 1; bits <= 64; bits++)
            {
                for (int i = 0; i < 6; i++)
                {
                    long offset = i < 2 ? i * 3 : random.Next(0, original.Length * 8 - bits + 1);
                    ulong value = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40);
                    byte[] expected = (byte[])original.Clone();
                    Assert.True(BitField.TryWrite(expected, offset, bits, endian, value));
                    checks.Append(CultureInfo.InvariantCulture, $"check({offset}, {bits}, '{Word(endian)}', 0x{value:X}, '{Escaped(expected)}')\n");
                    count++;
                }
            }
        }

        FilterResult result = Run($$"""
            local n = 0
            local original = '{{Escaped(original)}}'
            local function check(offset, bits, endian, value, expected)
              local d = data.new(original)
              d:layout{ f = { offset, bits, 'n', endian } }
              d.f = value
              local got = tostring(d)
              if got ~= expected then
                error(string.format('field {%d, %d, %s} = %x: %q, expected %q', offset, bits, endian, value, got, expected), 0)
              end
              n = n + 1
            end
            {{checks}}
            return n == {{count}}
            """, [1], new RuleLimits { MaxCallTime = TimeSpan.FromSeconds(5), MaxInstructions = 100_000_000 });

        Assert.True(result.Failure == RuleFailure.None, result.Error);
        Assert.Equal(FilterVerdict.Pass, result.Verdict);
    }

    [Theory]
    [InlineData("pkt:layout{ a = {4, 12, 'little'} }.a == 0x423 and pkt:layout{ a = {0, 12, 'le'} }.a == 0x312")]
    [InlineData("pkt:layout{ a = {4, 56} }.a == 0x23456789ABCDEF and pkt:layout{ a = {3, 61} }.a == 0x123456789ABCDEF0 and pkt:layout{ a = {1, 64} }.a == nil")]
    [InlineData("pkt:segment(1, 2):layout{ a = {0, 16, 'little'} }.a == 0x5634 and pkt:segment(1, 2):layout{ a = {1, 16} }.a == nil")]
    [InlineData("pkt:layout{ s = {1, 2, 's'} }.s == '\\x34\\x56' and pkt:segment(7):layout{ s = {0, 2, 's'} }.s == nil")]
    [InlineData("pkt:layout{ s = {0, 8, 'string'} }.s == tostring(pkt) and #pkt:segment(3, 4) == 4 and tostring(pkt:segment(8)) == ''")]
    public void Fields_ReadInsideTheirObjectOnly(string condition) => AssertHolds(condition, [0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0]);

    [Fact]
    public void LayoutTheScriptTamperedWith_StillReadsAndWritesInsideTheObject()
    {
        // A layout is a plain table the script holds: any integer it stores is read as a packed field, and bounds-checked.
        byte[] packet = [1, 2, 3, 4, 5, 6, 7, 8];
        FilterResult result = Run("""
            local l = data.layout{ a = {0, 8} }
            l.far = (1 << 63) | (8 << 4)                           -- a bit offset far past the end
            l.negative = -1                                        -- every bit set
            l.huge = (0xFFFFFF << 4) | (1 << 2)                    -- a 2 MiB string field
            l.empty = 0                                            -- a 0-bit number field
            l.text = 'x'                                           -- not a field at all
            pkt:layout(l)
            assert(pkt.a == 1)
            for _, name in ipairs{ 'far', 'negative', 'huge', 'empty', 'text' } do
              assert(pkt[name] == nil, name)
              local ok, err = pcall(function() pkt[name] = name == 'huge' and 'x' or 1 end)
              assert(not ok and (err:find('outside', 1, true) or err:find('does not have', 1, true) or err:find('takes a', 1, true)), name .. ': ' .. tostring(err))
            end
            return true
            """, packet);

        Assert.True(result.Failure == RuleFailure.None, result.Error);
        Assert.Equal(FilterVerdict.Pass, result.Verdict);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, packet);
    }

    [Fact]
    public void SegmentOfAPacket_KeptPastItsCall_ReadsNothingAndRefusesWrites()
    {
        using LuaRule rule = Rule("""
            if kept == nil then
              kept = pkt:segment(1, 2):layout{ a = {0, 8}, s = {0, 2, 's'} }
              return kept.a == 2 and kept.s == '\2\3'
            end
            local ok, err = pcall(function() kept.a = 9 end)
            return kept.a == nil and kept.s == nil and #kept == 0 and tostring(kept) == '' and kept:segment(0) == nil
              and not ok and err:find('after its verdict', 1, true) ~= nil
            """);

        Assert.Equal(FilterVerdict.Pass, rule.Filter([1, 2, 3]).Verdict);
        byte[] second = [4, 5, 6];
        FilterResult result = rule.Filter(second);
        Assert.True(result.Failure == RuleFailure.None, result.Error);
        Assert.Equal(FilterVerdict.Pass, result.Verdict);
        Assert.Equal(new byte[] { 4, 5, 6 }, second);
    }

    [Theory]
    [InlineData("pkt:layout{ a = {0, 65} }", "at most 64 bits")]
    [InlineData("pkt:layout(5)", "data.layout expects a table of fields")]
    [InlineData("pkt:segment(1):layout{ [1] = {0, 8} }", "field names must be strings")]
    public void LayoutOfATableOfFields_RaisesAtTheScriptsLine(string call, string message)
    {
        FilterResult result = Run($"local x = 1\n{call}\nreturn true", [1, 2, 3]);

        Assert.Equal(RuleFailure.ScriptError, result.Failure);
        Assert.Contains("test.lua:4: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("nflua-sandbox", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void LayoutMethod_TakesLayoutsAsTheyAre_AndMakesTablesOfFieldsIntoLayouts()
    {
        AssertHolds("""
            (function()
              local l = data.layout{ a = {0, 8} }
              local fake = setmetatable({ a = (8 << 28) | (8 << 4) }, { __metatable = 'layout' })
              return pkt:layout(l) == pkt and pkt.a == 1 and data.layout(l) == l
                and pkt:layout(fake).a == 2                                  -- a table that only claims to be one is used as it is
                and data.new('xy'):layout{ b = {8, 8} }.b == 0x79
            end)()
            """, [1, 2, 3]);
    }

    [Fact]
    public void Segments_CountAgainstTheMemoryLimit()
    {
        FilterResult result = Run("""
            local kept = {}
            for i = 1, 1000000 do kept[i] = pkt:segment(1) end
            return true
            """, [1, 2, 3], new RuleLimits { MaxCallTime = TimeSpan.FromSeconds(5), MaxMemoryBytes = 1024 * 1024, MaxInstructions = 100_000_000 });

        Assert.Equal(RuleFailure.MemoryLimit, result.Failure);
    }

    [Fact]
    public void Tostring_OfABigObject_IsChargedToTheBudget()
    {
        // 512 KiB copied 200 times: tens of millions of units at a unit per 16 bytes, far past a 1,000,000 budget.
        FilterResult result = Run("""
            local d = data.new(512 * 1024)
            for i = 1, 200 do local s = tostring(d) end
            return true
            """, [1], new RuleLimits { MaxCallTime = TimeSpan.FromSeconds(5), MaxMemoryBytes = 32 * 1024 * 1024 });

        Assert.Equal(RuleFailure.InstructionLimit, result.Failure);
    }

    private static string Word(Endianness endian) => endian switch
    {
        Endianness.Little => "little",
        Endianness.Host => "host",
        _ => "big",
    };

    private static string Escaped(byte[] bytes)
    {
        var text = new StringBuilder();
        foreach (byte b in bytes)
        {
            text.Append(CultureInfo.InvariantCulture, $"\\x{b:X2}");
        }

        return text.ToString();
    }
}
