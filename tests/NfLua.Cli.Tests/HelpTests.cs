using NfLua.CommandLine;

namespace NfLua.Cli.Tests;

/// <summary>What --help shows: the root's help teaches everything once (every synopsis, exit codes, completion); a
/// command's help is about that command.</summary>
public sealed class HelpTests
{
    private const string CompletionScriptName = "completion-script";

    [Fact]
    public async Task RootHelp_ShowsEverySynopsisTheExitCodesAndCompletion()
    {
        CliRun run = await CliRun.RunAsync("--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("Synopsis:\n  nflua-ctl [--socket PATH] [--timeout SECONDS] load NAME SCRIPT --queue N", run.Output, StringComparison.Ordinal);
        Assert.Contains("\n  nflua-ctl test SCRIPT CAPTURE [--max-instructions K] [--max-memory BYTES] [--on-error accept|drop] [--max-call-time MS] [--hook prerouting|input|forward|output|postrouting] [--indev IFACE] [--outdev IFACE] "
            + "[--uid UID] [--gid GID] [--mark MARK] [--set NAME=KIND:FILE]... [--param KEY=VALUE]... [--params FILE] [--json]\n", run.Output, StringComparison.Ordinal);
        Assert.Contains("3  the daemon is unreachable", run.Output, StringComparison.Ordinal);
        Assert.Contains("/usr/share/bash-completion/completions/nflua-ctl", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet-suggest", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(CompletionScriptName, run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("load")]
    [InlineData("unload")]
    [InlineData("stats")]
    [InlineData("test")]
    public async Task CommandHelp_ShowsItsOwnSynopsisAndNotTheRootsFooter(string command)
    {
        CliRun run = await CliRun.RunAsync(command, "--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        System.CommandLine.RootCommand root = Cli.CreateRoot(new CliEnvironment(TextWriter.Null, TextWriter.Null, _ => null));
        string synopsis = Synopsis.Line(root, root.Subcommands.Single(c => c.Name == command), "nflua-ctl");
        Assert.StartsWith($"nflua-ctl ", synopsis, StringComparison.Ordinal);
        Assert.EndsWith("Synopsis:\n  " + synopsis, run.Output.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain("Exit codes:", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("completion", run.Output, StringComparison.OrdinalIgnoreCase);
    }
}
