using NfLua.Testing;

namespace NfLua.Daemon.Tests;

/// <summary>nfluad's command line: usage errors as nflua-ctl reports them (exit code 2), and one synopsis in its help,
/// the README and its man page.</summary>
public sealed class NfluadCommandTests
{
    [Theory]
    [InlineData("--queue 70000", "nfluad: --queue must be 0-65535, not '70000'")]
    [InlineData("--queue 1 --queue x", "nfluad: --queue must be 0-65535, not 'x'")]
    [InlineData("--queu 1", "nfluad: unknown option '--queu' (did you mean --queue?)")]
    [InlineData("--check", "nfluad: unknown option '--check' (did you mean --check-config?)")]
    [InlineData("start", "nfluad: unexpected argument 'start'")]
    public void UsageError_OneLineAndExit2(string commandLine, string message)
    {
        (int code, string output, string error) = Run(commandLine.Split(' '));

        Assert.Equal(2, code);
        Assert.Equal([message, "Run 'nfluad --help' for usage."], error.TrimEnd().Split('\n'));
        Assert.Empty(output);
    }

    [Fact]
    public void Help_HasTheSynopsisOfTheReadmeAndTheManPageAndTheExitCodes()
    {
        (int code, string output, _) = Run("--help");
        string root = FindRoot();

        Assert.Equal(0, code);
        IReadOnlyList<string> synopsis = DocumentBlocks.HelpSynopsis(output);
        Assert.Equal(["nfluad [--config FILE] [--socket PATH] [--queue N]... [--state-dir DIR] [--check-config]"], synopsis);
        Assert.Equal(synopsis, DocumentBlocks.IndentedBlocks(Path.Combine(root, "README.md"), "## Running nfluad")[0]);
        Assert.Equal(synopsis, DocumentBlocks.ManSection(Path.Combine(root, "packaging", "man", "nfluad.8"), "SYNOPSIS"));
        Assert.Contains("  2  usage error", output, StringComparison.Ordinal);
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = NfluadCommand.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NfLua.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no NfLua.sln above {AppContext.BaseDirectory}");
    }
}
