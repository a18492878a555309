using System.CommandLine;
using NfLua.Cli.Output;
using NfLua.Control;

namespace NfLua.Cli.Daemon;

/// <summary><c>nflua-ctl stats</c>.</summary>
internal static class StatsCommand
{
    public static Command Create(GlobalOptions globals, CliEnvironment environment)
    {
        var json = GlobalOptions.CreateJson();
        var command = new Command(
            "stats",
            """
            Show counters since the daemon started: per queue (packets, verdicts, failure verdicts, batches, and the kernel's
            waiting / queue-dropped / user-dropped counts, and the packets the kernel could not deliver because nfluad's receive buffer was full) and per rule (calls, passed, dropped, errors, limit hits, mean time per call).
            Example: watch -n1 nflua-ctl stats
            """)
        {
            json,
        };
        globals.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
            new DaemonCall(globals, environment).RunAsync(parse, "stats", new StatsRequest(), result =>
            {
                var stats = (StatsResult)result;
                if (parse.GetValue(json))
                {
                    JsonOutput.Write(environment.Out, stats, CliJsonContext.Default.StatsResult);
                    return;
                }

                Render(stats, environment.Out);
            }, cancellationToken));
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

        var rules = new TextTable("QUEUE", "RULE", "CALLS", "PASSED", "DROPPED", "ERRORS", "LIMIT-HITS", "MEAN/CALL", "MAX/CALL")
            .AlignRight(0, 2, 3, 4, 5, 6, 7, 8);
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
                timed ? Numbers.Nanoseconds(rule.MaxNanoseconds) : "-");
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
