using System.Diagnostics;
using NfLua.Control;

namespace NfLua.Cli.Tests;

public sealed class ConnectionTests
{
    [Fact]
    public async Task NoDaemon_Exits3NamingTheSocketPath()
    {
        using var directory = new TempDirectory();
        string path = directory.File("absent.sock");

        CliRun run = await CliRun.RunAsync("--socket", path, "status");

        Assert.Equal(ExitCodes.DaemonUnreachable, run.ExitCode);
        Assert.Equal($"nflua-ctl: status: no control socket at {path} (is nfluad running?)", run.Error.TrimEnd());
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task SocketFromTheEnvironment_IsUsedWithoutTheOption()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(SampleResults.Status));

        CliRun run = await CliRun.RunAsync(new Dictionary<string, string> { [ControlSocketPath.EnvironmentVariable] = daemon.SocketPath }, "status");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Single(daemon.Requests);
    }

    [Fact]
    public async Task SocketOption_WinsOverTheEnvironment_BeforeOrAfterTheCommand()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(SampleResults.Status));
        using var directory = new TempDirectory();
        var environment = new Dictionary<string, string> { [ControlSocketPath.EnvironmentVariable] = directory.File("wrong.sock") };

        CliRun before = await CliRun.RunAsync(environment, "--socket", daemon.SocketPath, "status");
        CliRun after = await CliRun.RunAsync(environment, "status", "--socket", daemon.SocketPath);

        Assert.Equal(ExitCodes.Success, before.ExitCode);
        Assert.Equal(ExitCodes.Success, after.ExitCode);
        Assert.Equal(2, daemon.Requests.Count);
    }

    [Fact]
    public async Task DaemonThatNeverAnswers_TimesOutWithExit3()
    {
        await using var daemon = new FakeDaemon(async (_, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new UnreachableException();
        });
        var clock = Stopwatch.StartNew();

        CliRun run = await daemon.RunAsync("--timeout", "0.5", "list");

        Assert.Equal(ExitCodes.DaemonUnreachable, run.ExitCode);
        Assert.Contains("did not answer within 0.5 s", run.Error, StringComparison.Ordinal);
        Assert.Contains(daemon.SocketPath, run.Error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("bogus")]
    [InlineData("load name-only")]
    [InlineData("load web rule.lua")]
    [InlineData("load web rule.lua --queue 70000")]
    [InlineData("load web rule.lua --queue 0 --on-error maybe")]
    [InlineData("load web rule.lua --queue 0 --max-instructions 10")]
    [InlineData("unload")]
    [InlineData("list --bogus")]
    [InlineData("list --timeout 0")]
    [InlineData("test rule.lua")]
    [InlineData("test rule.lua capture.pcap --max-memory 12")]
    public async Task UsageErrors_Exit2WithAHint(string commandLine)
    {
        CliRun run = await CliRun.RunAsync(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("--help", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task Help_TeachesCommandsAndExamples()
    {
        CliRun run = await CliRun.RunAsync("--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        foreach (string command in new[] { "load", "unload", "list", "stats", "status", "reload", "test" })
        {
            Assert.Contains($"  {command}", run.Output, StringComparison.Ordinal);
        }

        Assert.Contains("Example: nflua-ctl load", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuggestDirective_CompletesCommandNames()
    {
        CliRun run = await CliRun.RunAsync("[suggest:12]", "nflua-ctl st");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("stats", run.Output, StringComparison.Ordinal);
        Assert.Contains("status", run.Output, StringComparison.Ordinal);
    }
}
