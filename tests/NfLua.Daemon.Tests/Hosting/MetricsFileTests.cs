using NfLua.Control;

namespace NfLua.Daemon.Tests.Hosting;

/// <summary>metrics { file, interval_s }: the counters written for node_exporter's textfile collector.</summary>
public sealed class MetricsFileTests
{
    [Fact]
    public async Task MetricsFile_IsWrittenAtStartAndEveryInterval_Whole()
    {
        await using var daemon = DaemonHarness.Create(
            "metrics { file = \"nflua.prom\", interval_s = 1 }\nqueue { 9, rule { \"pass\", script = \"pass.lua\" } }",
            new Dictionary<string, string> { ["pass.lua"] = "function filter(pkt) return true end" });
        await daemon.StartAsync();
        string file = Path.Combine(daemon.Directory, "nflua.prom");

        string first = File.ReadAllText(file); // written before the daemon says it is ready
        Assert.Contains("nflua_queue_packets_total{queue=\"9\"} 0\n", first, StringComparison.Ordinal);
        Assert.Contains("# TYPE nflua_rule_call_seconds histogram\n", first, StringComparison.Ordinal);

        DaemonHarness.Judge(daemon.Channels.Bound(9), 3);
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while (!File.ReadAllText(file).Contains("nflua_queue_packets_total{queue=\"9\"} 3\n", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the metrics file was not written again within 10 s:\n" + File.ReadAllText(file));
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Contains("nflua_rule_calls_total{queue=\"9\",rule=\"pass\"} 3\n", File.ReadAllText(file), StringComparison.Ordinal);
        Assert.False(File.Exists(file + ".tmp"));
    }

    [Fact]
    public async Task MetricsFile_ThatCannotBeWritten_IsLoggedOnce_AndTheDaemonGoesOn()
    {
        await using var daemon = DaemonHarness.Create(
            "metrics { file = \"missing/dir/nflua.prom\", interval_s = 1 }\nqueue { 10 }", new Dictionary<string, string>());
        await daemon.StartAsync();
        await Task.Delay(2500, TestContext.Current.CancellationToken);

        Assert.Single(daemon.Logs.Lines, l => l.Message.Contains("metrics file", StringComparison.Ordinal) && l.Message.Contains("cannot be written", StringComparison.Ordinal));
        Assert.True((await daemon.SendAsync(new StatusRequest())).IsOk);
    }
}
