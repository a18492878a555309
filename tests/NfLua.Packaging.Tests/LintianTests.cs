using NfLua.Testing;

namespace NfLua.Packaging.Tests;

/// <summary>Debian's own package checker, run on the package with the overrides it ships (each one explained there).</summary>
public sealed partial class DebPackageTests
{
    [Fact]
    public void Lintian_reports_no_errors_or_warnings()
    {
        Tools.EnsureCommand("lintian", "lintian");
        ProcessResult result = ProcessRunner.Run("lintian", ["--tag-display-limit", "0", "--fail-on", "error,warning", deb.DebPath], timeoutMs: 600_000);
        string[] findings = (result.StdOut + result.StdErr).Split('\n')
            .Where(l => l.StartsWith("E: ", StringComparison.Ordinal) || l.StartsWith("W: ", StringComparison.Ordinal))
            .ToArray();
        Assert.True(result.ExitCode == 0 && findings.Length == 0,
            $"lintian exited with {result.ExitCode}:\n{string.Join('\n', findings)}\n{result.StdErr}");
    }
}
