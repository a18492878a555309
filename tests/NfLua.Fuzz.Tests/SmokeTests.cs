using NfLua.Fuzz.Engine;
using NfLua.Fuzz.Targets;

namespace NfLua.Fuzz.Tests;

/// <summary>
/// A bounded run of every target, as CI's share of the campaign (scripts/fuzz runs a million inputs each):
/// no finding, and a share of the inputs well-formed enough to reach past the first checks.
/// </summary>
public sealed class SmokeTests
{
    [Theory]
    [InlineData("netlink", 20_000)]
    [InlineData("packets", 20_000)]
    [InlineData("control", 20_000)]
    [InlineData("capture", 20_000)]
    [InlineData("data", 10_000)]
    [InlineData("config", 3_000)]
    public void Target_RunsWithoutFindings(string name, int inputs)
    {
        string findings = Directory.CreateTempSubdirectory("nflua-fuzz-").FullName;
        IFuzzTarget target = FuzzTargets.Create(name);
        try
        {
            var options = new FuzzOptions { Inputs = inputs, Seed = 20261126, FindingsDirectory = findings, CorpusDirectories = [CorpusFiles.Regressions] };
            FuzzReport report = new FuzzRunner(target, options, TextWriter.Null).Run();

            Assert.Null(report.FindingText);
            Assert.Equal(inputs, report.Inputs);
            Assert.InRange(report.Accepted, inputs / 50, inputs);
            Assert.Empty(Directory.GetFiles(findings));
        }
        finally
        {
            (target as IDisposable)?.Dispose();
            Directory.Delete(findings, recursive: true);
        }
    }

    [Fact]
    public void Runner_WritesAReproducer_WhenTheInvariantBreaks()
    {
        string findings = Directory.CreateTempSubdirectory("nflua-fuzz-").FullName;
        try
        {
            var options = new FuzzOptions { Inputs = 1000, FindingsDirectory = findings };
            FuzzReport report = new FuzzRunner(new BrokenTarget(), options, TextWriter.Null).Run();

            Assert.NotNull(report.Finding);
            Assert.Contains("unexpected IndexOutOfRangeException", report.FindingText, StringComparison.Ordinal);
            byte[] reproducer = File.ReadAllBytes(report.Finding);
            Assert.True(reproducer.Length > 2 && reproducer[2] == 0xEE);
            Assert.False(File.Exists(Path.Combine(findings, ".inflight-broken")));
        }
        finally
        {
            Directory.Delete(findings, recursive: true);
        }
    }

    [Fact]
    public void Runner_ReportsTheInputAPreviousRunDiedOn()
    {
        string findings = Directory.CreateTempSubdirectory("nflua-fuzz-").FullName;
        try
        {
            // What a killed process leaves: the length-prefixed input in the in-flight file.
            File.WriteAllBytes(Path.Combine(findings, ".inflight-broken"), [3, 0, 0, 0, 1, 2, 3, 9, 9]);
            var options = new FuzzOptions { Inputs = 10, FindingsDirectory = findings };
            FuzzReport report = new FuzzRunner(new BrokenTarget(), options, TextWriter.Null).Run();

            Assert.NotNull(report.Finding);
            Assert.Equal([1, 2, 3], File.ReadAllBytes(report.Finding));
        }
        finally
        {
            Directory.Delete(findings, recursive: true);
        }
    }

    /// <summary>A target with a planted bug: inputs whose third byte is 0xEE index past a buffer.</summary>
    private sealed class BrokenTarget : IFuzzTarget
    {
        public string Name => "broken";

        public IReadOnlyList<byte[]> Dictionary { get; } = [[0xEE]];

        public IEnumerable<Seed> Seeds() => [new Seed("a.bin", [1, 2, 3, 4])];

        public byte[] Generate(Random random) => [(byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)];

        public bool Check(byte[] input)
        {
            int[] table = new int[1];
            return input.Length > 2 && input[2] == 0xEE ? table[input[2]] == 0 : input.Length > 0;
        }
    }
}
