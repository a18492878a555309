using NfLua.Fuzz.Engine;
using NfLua.Fuzz.Targets;

namespace NfLua.Fuzz.Tests;

/// <summary>Every kept seed and reproducer still keeps its target's invariant.</summary>
public sealed class CorpusReplayTests
{
    [Theory]
    [MemberData(nameof(Files))]
    public void KeptInput_KeepsTheInvariant(string target, string file)
    {
        IFuzzTarget fuzzTarget = FuzzTargets.Create(target);
        try
        {
            fuzzTarget.Check(CorpusFiles.Read(file));
        }
        finally
        {
            (fuzzTarget as IDisposable)?.Dispose();
        }
    }

    [Fact]
    public void Corpus_HoldsEveryBuiltInSeed_AsTheHarnessWritesIt()
    {
        // fuzz/corpus is what `NfLua.Fuzz --write-seeds fuzz/corpus` writes: the builders and the files agree.
        foreach (string name in FuzzTargets.Names)
        {
            IFuzzTarget target = FuzzTargets.Create(name);
            foreach (Seed seed in target.Seeds())
            {
                string path = Path.Combine(CorpusFiles.Corpus, name, seed.Name);
                Assert.True(File.Exists(path), $"{path} is missing: run NfLua.Fuzz --write-seeds fuzz/corpus");
                Assert.Equal(seed.Bytes, File.ReadAllBytes(path));
            }

            (target as IDisposable)?.Dispose();
        }
    }

    [Fact]
    public void EveryTarget_HasKeptInputs()
    {
        Assert.All(FuzzTargets.Names, name => Assert.NotEmpty(Directory.GetFiles(Path.Combine(CorpusFiles.Corpus, name))));
    }

    public static TheoryData<string, string> Files() => CorpusFiles.All();
}
