using NfLua.Cli.Daemon;
using NfLua.Control;

namespace NfLua.Cli.Tests;

/// <summary><c>nflua-ctl top</c>: rates between two samples of the counters.</summary>
public sealed class TopCommandTests
{
    private static StatsResult Sample(long n, string rule = "ssh") => new(
        [new QueueStats(0, 2000 * n, 2000 * n - 10 * n, 10 * n, 0, n)],
        [new RuleStats(rule, 0, 1000 * n, 990 * n, 10 * n, n, 0, 4_000_000 * n, 90_000), new RuleStats("idle", 0, 0, 0, 0, 0, 0, 0, 0)]);

    [Fact]
    public async Task Top_PrintsOneTablePerRefresh_BusiestRuleFirst_UntilCount()
    {
        int requests = 0;
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(Sample(Interlocked.Increment(ref requests))));

        CliRun run = await daemon.RunAsync("top", "--interval", "0.05", "--count", "2");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(3, requests); // two refreshes need three samples
        string[] frames = run.Output.Split("nflua-ctl top: ", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, frames.Length);
        foreach (string frame in frames)
        {
            string[] lines = frame.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains("QUEUE", lines[1], StringComparison.Ordinal);
            Assert.Matches(@"^\s*0\s+ssh\s+[0-9.]+\s+[0-9.]+\s+[0-9.]+\s+4 us$", lines[2]); // 4 ms over 1000 calls
            Assert.Matches(@"^\s*0\s+idle\s+0\s+0\s+0\s+-$", lines[3]);
        }

        Assert.DoesNotContain("\u001b[", run.Output, StringComparison.Ordinal); // not a terminal: no screen control
    }

    [Fact]
    public void Render_RatesPerSecond_AndARuleReplacedSinceTheLastSampleCountsFromZero()
    {
        var output = new StringWriter();

        TopCommand.Render(output, Sample(3), Sample(1, "ssh"), TimeSpan.FromSeconds(2), terminal: false);

        // ssh went from 3000 calls to 1000: replaced, so its 1000 calls are this interval's: 500/s, 5 drops/s.
        Assert.Matches(@"(?m)^\s*0\s+ssh\s+500\s+5\s+0\.5\s+4 us$", output.ToString());
        Assert.Contains("over 2.0 s: 0 packets/s on 1 queue(s)", output.ToString(), StringComparison.Ordinal);
    }
}
