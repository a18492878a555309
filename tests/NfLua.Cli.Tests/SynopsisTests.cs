using NfLua.Testing;

namespace NfLua.Cli.Tests;

/// <summary>One synopsis everywhere: the README's and the man page's are the one --help writes from the command tree.</summary>
public sealed class SynopsisTests
{
    [Fact]
    public async Task ReadmeManPageAndHelp_ShowTheSameSynopsis()
    {
        CliRun help = await CliRun.RunAsync("--help");
        IReadOnlyList<string> fromHelp = DocumentBlocks.HelpSynopsis(help.Output);
        IReadOnlyList<string> fromReadme = DocumentBlocks.IndentedBlocks(Path.Combine(RepositoryFiles.Root, "README.md"), "## nflua-ctl")[0];
        IReadOnlyList<string> fromManPage = DocumentBlocks.ManSection(Path.Combine(RepositoryFiles.Root, "packaging", "man", "nflua-ctl.1"), "SYNOPSIS");

        Assert.Equal(16, fromHelp.Count);
        Assert.Contains("nflua-ctl [--socket PATH] [--timeout SECONDS] set load SET [FILE] [--json]", fromHelp);
        Assert.Contains(fromHelp, l => l.StartsWith("nflua-ctl test SCRIPT CAPTURE ", StringComparison.Ordinal) && l.Contains("--on-error accept|drop", StringComparison.Ordinal));
        Assert.Equal(fromHelp, fromReadme);
        Assert.Equal(fromHelp, fromManPage);
    }
}
