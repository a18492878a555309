namespace NfLua.Cli.Tests;

/// <summary>A wrong command line gets one line per problem that names it (with a suggestion for a typo), where to read
/// the usage, exit code 2, and nothing else.</summary>
public sealed class UsageErrorTests
{
    [Fact]
    public async Task MistypedCommand_IsNamedAloneWithTheCommandMeant()
    {
        CliRun run = await CliRun.RunAsync("lod", "x");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Equal(["nflua-ctl: unknown command 'lod' (did you mean load?)", "Run 'nflua-ctl --help' for usage."], Lines(run.Error));
        Assert.Empty(run.Output);
    }

    [Theory]
    [InlineData("stauts", "(did you mean stats or status?)")]
    [InlineData("sta", "(did you mean stats or status?)")]
    [InlineData("unlaod", "(did you mean unload?)")]
    public async Task MistypedCommand_SuggestsTheCloseOnes(string typed, string suggestion)
    {
        CliRun run = await CliRun.RunAsync(typed);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Equal($"nflua-ctl: unknown command '{typed}' {suggestion}", Lines(run.Error)[0]);
    }

    [Fact]
    public async Task UnrelatedWord_GetsNoSuggestion()
    {
        CliRun run = await CliRun.RunAsync("frobnicate");

        Assert.Equal("nflua-ctl: unknown command 'frobnicate'", Lines(run.Error)[0]);
    }

    [Fact]
    public async Task MistypedOption_SuggestsTheOptionOfThatCommand()
    {
        CliRun run = await CliRun.RunAsync("list", "--jsn");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Equal(["nflua-ctl: unknown option '--jsn' (did you mean --json?)", "Run 'nflua-ctl list --help' for usage."], Lines(run.Error));
    }

    [Theory]
    [InlineData("70000")]
    [InlineData("-1")]
    [InlineData("zero")]
    public async Task QueueOutOfRange_SaysTheRange(string queue)
    {
        CliRun run = await CliRun.RunAsync("load", "web", "rule.lua", "--queue", queue);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Equal([$"nflua-ctl: --queue must be 0-65535, not '{queue}'", "Run 'nflua-ctl load --help' for usage."], Lines(run.Error));
    }

    [Fact]
    public async Task NoCommand_ListsTheCommands()
    {
        CliRun run = await CliRun.RunAsync();

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Equal("nflua-ctl: a command is required: load, unload, enforce, monitor, list, stats, status, reload, set, top, events, test", Lines(run.Error)[0]);
    }

    private static string[] Lines(string text) => text.TrimEnd().Split('\n');
}
