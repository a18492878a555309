using System.Text;
using NfLua.Control;
using NfLua.Daemon.Configuration;
using NfLua.Fuzz.Engine;
using NfLua.Fuzz.Targets;
using NfLua.Scripting;

namespace NfLua.Fuzz.Tests;

/// <summary>The bugs the fuzz campaign found, each pinned by its reproducer (see fuzz/README.md).</summary>
public sealed class RegressionTests
{
    [Theory]
    [InlineData("fuzz/regressions/control/invalid-utf8-op-name.bin")]
    [InlineData("fuzz/regressions/control/invalid-utf8-version.bin")]
    [InlineData("fuzz/regressions/control/lone-surrogate-property-name.bin")]
    public void ControlCodec_BadStringsInAFrame_AreABadRequest(string file)
    {
        byte[] frame = CorpusFiles.Read(file);
        byte[] body = frame[4..(4 + (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(frame))];

        var error = Assert.Throws<ControlProtocolException>(() => ControlCodec.DecodeRequest(body));
        Assert.Equal(ControlErrorName.BadRequest, error.ErrorName);
        Assert.Throws<ControlProtocolException>(() => ControlCodec.DecodeResponse(body, ControlOp.Load));
    }

    [Theory]
    [InlineData("1 << 61", "4")]          // offset * 8 wrapped to 0: read the first 4 bytes
    [InlineData("(1 << 60) + 1", "1")]    // offset * 8 wrapped negative
    [InlineData("0", "1 << 61")]          // length * 8 wrapped to 0
    public void DataLayout_HugeStringFieldCounts_AreRefused(string offset, string length)
    {
        using LuaRule rule = LuaRule.Compile("regression", $$"""
            local data = require "data"
            function filter(pkt)
              local d = data.new("abcd")
              local ok, err = pcall(d.layout, d, { f = { {{offset}}, {{length}}, "s" } })
              return not ok and (err:find("too far", 1, true) or err:find("too long", 1, true)) ~= nil
            end
            """, "regression.lua", new RuleLimits { MaxCallTime = TimeSpan.FromSeconds(2) });

        FilterResult result = rule.Filter(new byte[20]);

        Assert.Equal(RuleFailure.None, result.Failure);
        Assert.Equal(FilterVerdict.Pass, result.Verdict);
    }

    [Fact]
    public void DataModule_Reproducer_KeepsTheInvariant()
    {
        using var target = new DataModuleTarget();
        Assert.True(target.Check(CorpusFiles.Read("fuzz/regressions/data/string-offset-wraps-to-bits.bin")));
    }

    [Theory]
    [InlineData("fuzz/regressions/config/nul-in-script-path.bin", "the script path holds a NUL character")]
    [InlineData("fuzz/regressions/config/metatable-index-raises.lua", "a queue needs a number")]
    [InlineData("fuzz/regressions/config/fake-entries.lua", "a queue lists its rules as rule { ... } calls")]
    public void ConfigLoader_Reproducer_GivesErrorsWithFileAndLine(string file, string expected)
    {
        // Before the fixes: an ArgumentException, an abort of the whole process (NLua's panic), an InvalidCastException.
        ConfigResult result = ConfigLoader.Load(Encoding.UTF8.GetString(CorpusFiles.Read(file)), "/etc/nflua/fuzz.lua");

        Assert.Null(result.Config);
        Assert.Contains(result.Errors, e => e.StartsWith("/etc/nflua/fuzz.lua:", StringComparison.Ordinal) && e.Contains(expected, StringComparison.Ordinal));
        Assert.False(new ConfigTarget().Check(CorpusFiles.Read(file)));
    }

    [Fact]
    public void ConfigLoader_EntriesCannotBeReplacedByTheFile()
    {
        ConfigResult result = ConfigLoader.Load("queue { 3 }\n__nflua_entries = { { kind = \"queue\", value = 5 } }\n", "/etc/nflua/fuzz.lua");

        Assert.Empty(result.Errors);
        Assert.Equal([3], result.Config!.Queues.Select(q => (int)q.Number));
    }
}
