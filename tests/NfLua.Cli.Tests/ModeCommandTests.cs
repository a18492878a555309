using NfLua.Control;

namespace NfLua.Cli.Tests;

/// <summary><c>nflua-ctl monitor NAME</c>, <c>enforce NAME</c> and <c>load --monitor</c>.</summary>
public sealed class ModeCommandTests
{
    [Theory]
    [InlineData("monitor", true, "rule ssh on queues 0-1 now monitors: its verdicts are counted, not applied")]
    [InlineData("enforce", false, "rule ssh on queues 0-1 now enforces its verdicts")]
    public async Task ModeCommands_SendTheModeAndSayWhatChanged(string command, bool monitor, string said)
    {
        await using var daemon = new FakeDaemon(c => FakeDaemon.Ok(new ModeResult("ssh", [0, 1], ((ModeRequest)c).Monitor ? "monitor" : "enforce")));

        CliRun run = await daemon.RunAsync(command, "ssh");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(said, run.Output.Trim());
        Assert.Equal(new ModeRequest("ssh", monitor), Assert.Single(daemon.Requests));
    }

    [Fact]
    public async Task Enforce_UnknownRule_IsTheDaemonsRefusal()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Fail(ControlErrorName.NotFound, "no rule named 'x' (nflua-ctl list shows the loaded rules)"));

        CliRun run = await daemon.RunAsync("enforce", "x");

        Assert.Equal(ExitCodes.DaemonError, run.ExitCode);
        Assert.Contains("no rule named 'x'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadMonitor_AsksForMonitorMode()
    {
        await using var daemon = new FakeDaemon(c => FakeDaemon.Ok(new LoadResult(
            new RuleInfo("r", 0, 1, 1000, 1 << 20, RuleFailureVerdict.Accept, Mode: "monitor"), false, null, false, null)));
        string script = daemon.Directory.WriteFile("r.lua", "function filter(pkt) return true end");

        CliRun run = await daemon.RunAsync("load", "r", script, "--queue", "0", "--monitor");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.True(((LoadRequest)Assert.Single(daemon.Requests)).Monitor);
        Assert.Contains("in monitor mode: its verdicts are counted, not applied", run.Output, StringComparison.Ordinal);
    }
}
