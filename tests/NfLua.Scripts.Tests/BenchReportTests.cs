using NfLua.Testing;

namespace NfLua.Scripts.Tests;

/// <summary>
/// docs/benchmarks.md quotes the tables of a committed run and says that bench/report.py makes them again from its
/// raw results: it does, byte for byte.
/// </summary>
public sealed class BenchReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nflua-bench-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void CommittedRun_ReportMadeAgainFromItsRawResults_IsTheCommittedReport()
    {
        string committed = Path.Combine(RepositoryRoot.Path, "docs", "bench-results", "2026-12-02");
        foreach (string file in Directory.GetFiles(committed))
        {
            if (Path.GetFileName(file) != "results.md")
            {
                File.Copy(file, Path.Combine(_dir, Path.GetFileName(file)));
            }
        }

        ProcessResult run = ProcessRunner.Run("/usr/bin/python3", [Path.Combine(RepositoryRoot.Path, "bench", "report.py"), _dir]);

        Assert.True(run.ExitCode == 0, run.StdErr);
        string expected = File.ReadAllText(Path.Combine(committed, "results.md"));
        Assert.Equal(expected, File.ReadAllText(Path.Combine(_dir, "results.md")));
        Assert.Contains("| data module, tostring of a 100-byte segment: nfluad / (a) | <= 1.0 | 1.01", expected, StringComparison.Ordinal);
    }
}
