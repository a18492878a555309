using NfLua.Testing;

namespace NfLua.Scripts.Tests;

/// <summary>
/// scripts/lib/run-tests.sh, as scripts/test uses it under <c>set -euo pipefail</c>: every test host, even one that
/// crashed without a word, ends in the counts, and the run always reaches its "N passed, N failed" line.
/// </summary>
public sealed class RunTestsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nflua-run-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AHostThatCrashedWithoutASummary_CountsAsAFailure_AndTheRunGoesOn()
    {
        FakeHost("Crashed", "echo 'Failed to resolve full path of the current executable' >&2; exit 133");
        FakeHost("Fine", "echo '   Fine  Total: 5, Errors: 0, Failed: 0, Skipped: 0, Not Run: 0, Time: 0.1s'");

        ProcessResult run = RunHosts("Crashed", "Fine");

        Assert.Contains("Crashed did not report a summary (exit code 133):", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("Failed to resolve full path of the current executable", run.StdOut, StringComparison.Ordinal);
        Assert.EndsWith("5 passed, 1 failed\n", run.StdOut, StringComparison.Ordinal);
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public void FailedAndSkippedTests_AreCounted_AndANonZeroExitWithoutFailures_IsOneMore()
    {
        FakeHost("Mixed", "echo '[FAIL] Some.Test'; echo '   Mixed  Total: 10, Errors: 1, Failed: 2, Skipped: 1, Not Run: 0, Time: 1s'; exit 2");
        FakeHost("Odd", "echo '   Odd  Total: 3, Errors: 0, Failed: 0, Skipped: 0, Not Run: 0, Time: 1s'; exit 7");

        ProcessResult run = RunHosts("Mixed", "Odd");

        Assert.Contains("[FAIL] Some.Test", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("Odd exited with 7", run.StdOut, StringComparison.Ordinal);
        Assert.EndsWith("9 passed, 5 failed\n", run.StdOut, StringComparison.Ordinal);
    }

    private void FakeHost(string name, string body)
    {
        string dir = Path.Combine(_dir, "tests", name, "bin", "Release", "net10.0");
        Directory.CreateDirectory(dir);
        string host = Path.Combine(dir, name);
        File.WriteAllText(host, "#!/usr/bin/env bash\n" + body + "\n");
        File.SetUnixFileMode(host, (UnixFileMode)0b111_101_101);
    }

    /// <summary>Runs the hosts as scripts/test does (same shell options), then prints the counts as it does.</summary>
    private ProcessResult RunHosts(params string[] names)
    {
        string library = Path.Combine(RepositoryRoot.Path, "scripts", "lib", "run-tests.sh");
        string script = $"""
            set -euo pipefail
            cd "{_dir}"
            passed=0 failed=0
            results=$(mktemp -d)
            source "{library}"
            {string.Join("\n", names.Select(n => $"run_tests {n} collections"))}
            rm -rf "$results"
            echo "$passed passed, $failed failed"
            """;
        return ProcessRunner.Run("bash", ["-c", script]);
    }
}
