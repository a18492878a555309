using System.Text.Json;
using NfLua.Testing;

namespace NfLua.Examples.Tests;

/// <summary>The commands of examples/README.md's "Trying one", run as written, in the examples' directory (as in the
/// source tree and in /usr/share/nflua/examples/), with the nflua-ctl built here first on the PATH.</summary>
public sealed class ReadmeTests
{
    private static IReadOnlyList<string> Commands => DocumentBlocks.IndentedBlocks(Path.Combine(Repository.Examples, "README.md"), "## Trying one").SelectMany(b => b).ToList();

    [Fact]
    public void TryingOne_OnTheSampleCapture_RunsInTheExamplesDirectory()
    {
        string[] onSamples = [.. Commands.Where(c => c.Contains(" captures/", StringComparison.Ordinal))];
        Assert.Equal(2, onSamples.Length);

        ProcessResult table = Shell(onSamples[0]);
        ProcessResult json = Shell(onSamples[1]);

        Assert.True(table.ExitCode == 0, table.StdErr);
        Assert.Matches(@"records, \d+ filtered: .*\d+ drop", table.StdOut);
        Assert.True(json.ExitCode == 0, json.StdErr);
        using JsonDocument report = JsonDocument.Parse(json.StdOut);
        Assert.Contains(report.RootElement.GetProperty("packets").EnumerateArray(), p => p.GetProperty("verdict").GetString() == "drop");
    }

    [Fact]
    public void TryingOne_OnYourOwnTraffic_CapturesAndTestsIt()
    {
        Assert.True(Environment.IsPrivilegedProcess, "tcpdump needs root (CI runs as root)");
        string[] own = [.. Commands.Where(c => c.Contains("mine.pcap", StringComparison.Ordinal))];
        Assert.Equal(2, own.Length);
        using var directory = new TempDirectory();

        // In a private network namespace whose eth0 is one end of a veth pair: tcpdump captures for a second and stops.
        string script = $"""
            set -euo pipefail
            ip link add eth0 type veth peer name eth1
            ip link set eth0 up
            cd '{directory.Path}' && cp '{Repository.Examples}'/tls-sni-blocklist.lua .
            timeout --preserve-status -s INT 1 {own[0]} || true
            {own[1]}
            """;
        ProcessResult result = ProcessRunner.Run("unshare", ["--net", "--", "bash", "-c", script], SearchPath());

        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("0 records, 0 filtered: none", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void TheOperatorsTasks_CommandsRunOnTheSamplesAndDrop()
    {
        IReadOnlyList<string> commands = [.. DocumentBlocks.IndentedBlocks(Path.Combine(Repository.Examples, "README.md"), "## The operator's five tasks")
            .SelectMany(b => b).Where(c => c.StartsWith("nflua-ctl test ", StringComparison.Ordinal))];
        Assert.Equal(["blocklist-sets.lua", "uid-egress.lua", "interface-policy.lua", "rate-limit.lua"], commands.Select(c => c.Split(' ')[2]));

        foreach (string command in commands)
        {
            ProcessResult run = Shell(command);
            Assert.True(run.ExitCode == 0, $"{command}: {run.ExitCode}\n{run.StdErr}");
            Assert.Matches(@"records, \d+ filtered: .*\d+ pass.*\d+ drop", run.StdOut);
            Assert.Contains(" 0 skipped", run.StdOut, StringComparison.Ordinal);
        }
    }

    /// <summary>Every example header's "Try it offline" command, run where it says: the source tree's root when it names examples/, else examples/.</summary>
    public static TheoryData<string, string> HeaderCommands() =>
    [
        .. Directory.GetFiles(Repository.Examples, "*.lua").Order(StringComparer.Ordinal).SelectMany(file => File.ReadAllLines(file)
            .Where(l => l.StartsWith("--   nflua-ctl test ", StringComparison.Ordinal))
            .Select(l => (Path.GetFileName(file), l[5..]))),
    ];

    [Theory]
    [MemberData(nameof(HeaderCommands))]
    public void TheExamplesHeaders_TryItOfflineCommandsRun(string example, string command)
    {
        string directory = command.Contains(" examples/", StringComparison.Ordinal) ? Repository.Root : Repository.Examples;
        ProcessResult run = ProcessRunner.Run("bash", ["-c", $"cd '{directory}' && {command}"], SearchPath());

        Assert.True(run.ExitCode == 0, $"{example}: {command}: {run.ExitCode}\n{run.StdErr}");
        Assert.Contains(" 0 skipped", run.StdOut, StringComparison.Ordinal);
    }

    private static ProcessResult Shell(string command) =>
        ProcessRunner.Run("bash", ["-c", $"cd '{Repository.Examples}' && {command}"], SearchPath());

    private static Dictionary<string, string> SearchPath() =>
        new() { ["PATH"] = System.IO.Path.GetDirectoryName(Repository.NfluaCtl) + ":" + Environment.GetEnvironmentVariable("PATH") };
}
