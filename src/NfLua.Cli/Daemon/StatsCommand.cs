using System.CommandLine;
using NfLua.Cli.Output;
using NfLua.Control;
using NfLua.Control.Metrics;

namespace NfLua.Cli.Daemon;

/// <summary><c>nflua-ctl stats</c>.</summary>
internal static class StatsCommand
{
    public static Command Create(GlobalOptions globals, CliEnvironment environment)
    {
        var json = GlobalOptions.CreateJson();
        var format = new Option<string>("--format")
        {
            Description = "text (a table, the default), json (as --json), or prometheus (Prometheus' text format, for node_exporter's textfile collector or a scrape)",
            HelpName = "text|json|prometheus",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json", "prometheus");
        var command = new Command(
            "stats",
            """
            Show counters since the daemon started: per queue (packets, verdicts, failure verdicts, batches, and the kernel's
            waiting / queue-dropped / user-dropped counts, and the packets the kernel could not deliver because nfluad's receive buffer was full) and per rule (calls, passed, dropped, errors, limit hits, mean time per call).
            Examples: watch -n1 nflua-ctl stats
                      nflua-ctl stats --format prometheus > /var/lib/prometheus/node-exporter/nflua.prom.$$ && mv /var/lib/prometheus/node-exporter/nflua.prom.$$ /var/lib/prometheus/node-exporter/nflua.prom
            """)
        {
            json,
            format,
        };
        globals.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetValue(json) && result.GetValue(format) == "prometheus")
            {
                result.AddError("--json and --format prometheus cannot be used together");
            }
        });
        command.SetAction((parse, cancellationToken) =>
        {
            if (parse.GetValue(format) == "prometheus")
            {
                // Counters and the daemon's status (version, queue settings, process figures) on one connection.
                return new DaemonCall(globals, environment).RunAsync(parse, "stats", [new StatsRequest(), new StatusRequest()], results =>
                    PrometheusText.Write(environment.Out, (StatsResult)results[0], (StatusResult)results[1]), cancellationToken);
            }

            return new DaemonCall(globals, environment).RunAsync(parse, "stats", new StatsRequest(), result =>
            {
                var stats = (StatsResult)result;
                if (parse.GetValue(json) || parse.GetValue(format) == "json")
                {
                    JsonOutput.Write(environment.Out, stats, CliJsonContext.Default.StatsResult);
                    return;
                }

                Render(stats, environment.Out);
            }, cancellationToken);
        });
        return command;
    }

    private static void Render(StatsResult stats, TextWriter output)
    {
        var queues = new TextTable("QUEUE", "PACKETS", "ACCEPTED", "DROPPED", "FAILURES", "BATCHES", "K-WAITING", "K-QUEUE-DROPPED", "K-USER-DROPPED", "UNDELIVERED")
            .AlignRight(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        foreach (QueueStats queue in stats.Queues.OrderBy(q => q.Queue))
        {
            KernelQueueCounters? kernel = queue.Kernel;
            queues.Add(
                Numbers.Plain(queue.Queue),
                Numbers.Count(queue.Packets),
                Numbers.Count(queue.Accepted),
                Numbers.Count(queue.Dropped),
                Numbers.Count(queue.FailureVerdicts),
                Numbers.Count(queue.Batches),
                kernel is null ? "-" : Numbers.Count(kernel.Waiting),
                kernel is null ? "-" : Numbers.Count(kernel.QueueDropped),
                kernel is null ? "-" : Numbers.Count(kernel.UserDropped),
                Numbers.Count(queue.Undelivered));
        }

        output.WriteLine("Queues:");
        if (queues.RowCount == 0)
        {
            output.WriteLine("  none");
        }
        else
        {
            queues.WriteTo(output);
        }

        var rules = new TextTable("QUEUE", "RULE", "CALLS", "PASSED", "DROPPED", "ERRORS", "LIMIT-HITS", "MEAN/CALL", "MAX/CALL", "MODE", "ALERTS", "LOGS", "SUPPRESSED", "EV-DROPPED")
            .AlignRight(0, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13);
        foreach (RuleStats rule in stats.Rules)
        {
            // No timed call yet (the daemon may time a sample of the calls only): a "0 ns" would be a made-up figure.
            // A timed call always takes some time, so a longest call of 0 means none was timed.
            bool timed = rule.MaxNanoseconds > 0;
            rules.Add(
                Numbers.Plain(rule.Queue),
                rule.Name,
                Numbers.Count(rule.Calls),
                Numbers.Count(rule.Passed),
                Numbers.Count(rule.Dropped),
                Numbers.Count(rule.Errors),
                Numbers.Count(rule.LimitsExceeded),
                timed && rule.Calls > 0 ? Numbers.Nanoseconds((double)rule.TotalNanoseconds / rule.Calls) : "-",
                timed ? Numbers.Nanoseconds(rule.MaxNanoseconds) : "-",
                rule.Mode == "monitor" ? "monitor (would)" : rule.Mode ?? "-",
                Numbers.Count(rule.Alerts),
                Numbers.Count(rule.Logs),
                Numbers.Count(rule.AlertsSuppressed + rule.LogsSuppressed),
                Numbers.Count(rule.EventsDropped));
        }

        output.WriteLine();
        output.WriteLine("Rules:");
        if (rules.RowCount == 0)
        {
            output.WriteLine("  none");
        }
        else
        {
            rules.WriteTo(output);
        }
    }
}
