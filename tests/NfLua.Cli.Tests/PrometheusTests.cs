using System.Text.Json;
using NfLua.Control;
using NfLua.Testing;

namespace NfLua.Cli.Tests;

/// <summary><c>nflua-ctl stats --format prometheus</c>, read back by Prometheus' own Python text parser (Debian's python3-prometheus-client).</summary>
public sealed class PrometheusTests
{
    // Prints every sample as one JSON line: family name, type, sample name, labels, value.
    private const string Parser = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        for family in text_string_to_metric_families(open(sys.argv[1]).read()):
            for s in family.samples:
                print(json.dumps({"family": family.name, "type": family.type, "name": s.name, "labels": s.labels, "value": s.value}))
        """;

    private static readonly StatsResult s_stats = new(
        [
            new QueueStats(0, 12345, 12000, 345, 7, 99, new KernelQueueCounters(3, 41, 42, 777), 5, WorkerAllocatedBytes: 4096),
            new QueueStats(1, 10, 10, 0, 0, 2),
        ],
        [
            new RuleStats("ssh-banner", 0, 1000, 990, 8, 2, 1, 4_000_000, 90_000, 3, 0,
                [900, 50, 30, 10, 5, 3, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                Logs: 4, LogsSuppressed: 6, Alerts: 100, AlertsSuppressed: 250, EventsDropped: 9,
                StreamDrops: 12, StreamConflicts: 5, StickyVerdicts: 40, StreamFlows: 7, StreamBytes: 65536),
            new RuleStats("odd \"name\"\\", 1, 10, 10, 0, 0, 0, 5_000, 900, 0, 0, [10, .. new long[21]], "monitor"),
        ]);

    [Fact]
    public async Task Stats_Prometheus_IsParsedByPrometheusOwnParser_WithEveryCounter()
    {
        await using var daemon = new FakeDaemon(command => command switch
        {
            StatsRequest => FakeDaemon.Ok(s_stats),
            StatusRequest => FakeDaemon.Ok(SampleResults.Status),
            _ => FakeDaemon.Fail(ControlErrorName.BadRequest, "unexpected"),
        });

        CliRun run = await daemon.RunAsync("stats", "--format", "prometheus");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        List<Sample> samples = Parse(daemon.Directory, run.Output);
        Assert.Equal(12345, Value(samples, "nflua_queue_packets_total", ("queue", "0")));
        Assert.Equal(10, Value(samples, "nflua_queue_packets_total", ("queue", "1")));
        Assert.Equal(7, Value(samples, "nflua_queue_failures_total", ("queue", "0")));
        Assert.Equal(5, Value(samples, "nflua_queue_undelivered_total", ("queue", "0")));
        Assert.Equal(4096, Value(samples, "nflua_queue_worker_allocated_bytes_total", ("queue", "0")));
        Assert.Equal(41, Value(samples, "nflua_kernel_queue_dropped_total", ("queue", "0")));
        Assert.Equal(42, Value(samples, "nflua_kernel_queue_user_dropped_total", ("queue", "0")));
        Assert.Equal(3, Value(samples, "nflua_kernel_queue_waiting", ("queue", "0")));
        Assert.Equal(0, Value(samples, "nflua_kernel_counters_readable", ("queue", "1"))); // unreadable: said, not a made-up 0
        Assert.DoesNotContain(samples, s => s.Name == "nflua_kernel_queue_dropped_total" && s.Labels["queue"] == "1");
        Assert.Equal(2, Value(samples, "nflua_rule_failures_total", ("rule", "ssh-banner"), ("kind", "error")));
        Assert.Equal(1, Value(samples, "nflua_rule_failures_total", ("rule", "ssh-banner"), ("kind", "limit")));
        Assert.Equal(3, Value(samples, "nflua_rule_on_error_total", ("rule", "ssh-banner"), ("verdict", "accept")));
        Assert.Equal(1000, Value(samples, "nflua_rule_calls_total", ("rule", "ssh-banner"), ("queue", "0")));
        Assert.Equal(10, Value(samples, "nflua_rule_calls_total", ("rule", "odd \"name\"\\"))); // escaped and read back
        Assert.Equal("counter", samples.First(s => s.Name == "nflua_rule_calls_total").Type);
        Assert.Equal(1, Value(samples, "nflua_rule_monitor", ("rule", "odd \"name\"\\")));
        Assert.Equal(0, Value(samples, "nflua_rule_monitor", ("rule", "ssh-banner")));
        Assert.Equal(100, Value(samples, "nflua_rule_messages_total", ("rule", "ssh-banner"), ("channel", "alert")));
        Assert.Equal(4, Value(samples, "nflua_rule_messages_total", ("rule", "ssh-banner"), ("channel", "log")));
        Assert.Equal(250, Value(samples, "nflua_rule_messages_suppressed_total", ("rule", "ssh-banner"), ("channel", "alert")));
        Assert.Equal(6, Value(samples, "nflua_rule_messages_suppressed_total", ("rule", "ssh-banner"), ("channel", "log")));
        Assert.Equal(9, Value(samples, "nflua_rule_events_dropped_total", ("rule", "ssh-banner")));
        Assert.Equal(12, Value(samples, "nflua_rule_stream_dropped_total", ("rule", "ssh-banner")));
        Assert.Equal(5, Value(samples, "nflua_rule_stream_conflicts_total", ("rule", "ssh-banner")));
        Assert.Equal(40, Value(samples, "nflua_rule_sticky_verdicts_total", ("rule", "ssh-banner")));
        Assert.Equal(7, Value(samples, "nflua_rule_stream_flows", ("rule", "ssh-banner")));
        Assert.Equal(65536, Value(samples, "nflua_rule_stream_bytes", ("rule", "ssh-banner")));

        // The histogram: cumulative buckets in seconds, +Inf = count, sum in seconds.
        Assert.Equal("histogram", samples.First(s => s.Name == "nflua_rule_call_seconds_bucket").Type);
        Assert.Equal(900, Value(samples, "nflua_rule_call_seconds_bucket", ("rule", "ssh-banner"), ("le", "0.000001")));
        Assert.Equal(950, Value(samples, "nflua_rule_call_seconds_bucket", ("rule", "ssh-banner"), ("le", "0.000002")));
        Assert.Equal(1000, Value(samples, "nflua_rule_call_seconds_bucket", ("rule", "ssh-banner"), ("le", "+Inf")));
        Assert.Equal(1000, Value(samples, "nflua_rule_call_seconds_count", ("rule", "ssh-banner")));
        Assert.Equal(0.004, Value(samples, "nflua_rule_call_seconds_sum", ("rule", "ssh-banner")), 9);

        // From the status: version, queue settings, process figures.
        Assert.Equal(1, Value(samples, "nflua_build_info", ("version", "1.2.3-test")));
        Assert.Equal(1, Value(samples, "nflua_queue_bound", ("queue", "0")));
        Assert.Equal(0, Value(samples, "nflua_queue_bound", ("queue", "7")));
        Assert.Equal(52_428_800, Value(samples, "nflua_process_resident_bytes"));
        Assert.Equal(1, Value(samples, "nflua_process_gc_collections_total", ("generation", "2")));
        Assert.Equal([typeof(StatsRequest), typeof(StatusRequest)], daemon.Requests.Select(r => r.GetType()));
    }

    [Fact]
    public async Task Stats_JsonAndPrometheusTogether_IsAUsageError()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(s_stats));

        CliRun run = await daemon.RunAsync("stats", "--json", "--format", "prometheus");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("--json and --format prometheus cannot be used together", run.Error, StringComparison.Ordinal);
        Assert.Empty(daemon.Requests);
    }

    private sealed record Sample(string Family, string Type, string Name, Dictionary<string, string> Labels, double Value);

    private static double Value(List<Sample> samples, string name, params (string Key, string Value)[] labels) =>
        Assert.Single(samples, s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out string? v) && v == l.Value)).Value;

    private static List<Sample> Parse(TempDirectory directory, string text)
    {
        string file = directory.File("metrics.prom");
        string script = directory.File("parse.py");
        File.WriteAllText(file, text);
        File.WriteAllText(script, Parser);
        // Debian's interpreter, where python3-prometheus-client (scripts/setup) is installed.
        ProcessResult parsed = ProcessRunner.Run("/usr/bin/python3", [script, file]);
        Assert.True(parsed.ExitCode == 0, $"the parser refused the text:\n{parsed.StdErr}\n{text}");
        return [.. parsed.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using JsonDocument d = JsonDocument.Parse(line);
            JsonElement e = d.RootElement;
            return new Sample(e.GetProperty("family").GetString()!, e.GetProperty("type").GetString()!, e.GetProperty("name").GetString()!,
                e.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!), e.GetProperty("value").GetDouble());
        })];
    }
}
