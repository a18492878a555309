using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NfLua.Cli.Output;
using NfLua.Control;

namespace NfLua.Cli.Daemon;

/// <summary><c>nflua-ctl top</c>: each rule's packets, drops and time per call, per second, refreshed.</summary>
internal static class TopCommand
{
    public static Command Create(GlobalOptions globals, CliEnvironment environment)
    {
        var interval = new Option<double>("--interval")
        {
            Description = "seconds between two refreshes (default 1)",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => 1,
        };
        interval.Validators.Add(result =>
        {
            double seconds = result.GetValueOrDefault<double>();
            if (!(seconds >= 0.05 && seconds <= 3600))
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"--interval must be from 0.05 to 3600 seconds, not {seconds}"));
            }
        });
        var count = new Option<int?>("--count")
        {
            Description = "stop after this many refreshes (default: until interrupted)",
            HelpName = "COUNT",
        };
        count.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--count must be at least 1");
            }
        });
        var command = new Command(
            "top",
            """
            Show each rule's traffic as it happens: calls (packets) per second, drops per second, failures per second and
            the mean time per call over the last interval, busiest first, refreshed every --interval seconds. On a terminal
            the screen is redrawn; otherwise each refresh is printed after the last (plain text for logs and pipes).
            """)
        {
            interval,
            count,
        };
        globals.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var call = new DaemonCall(globals, environment);
            TimeSpan period = TimeSpan.FromSeconds(parse.GetValue(interval));
            int? frames = parse.GetValue(count);
            bool terminal = ReferenceEquals(environment.Out, Console.Out) && !Console.IsOutputRedirected;
            StatsResult? previous = null;
            long previousTicks = 0;
            for (int shown = 0; frames is null || shown < frames;)
            {
                StatsResult? current = null;
                int exit = await call.RunAsync(parse, "top", new StatsRequest(), result => current = (StatsResult)result, cancellationToken).ConfigureAwait(false);
                long ticks = Stopwatch.GetTimestamp();
                if (exit != ExitCodes.Success)
                {
                    return exit;
                }

                if (previous is not null)
                {
                    Render(environment.Out, previous, current!, Stopwatch.GetElapsedTime(previousTicks, ticks), terminal);
                    shown++;
                }

                previous = current;
                previousTicks = ticks;
                if (frames is null || shown < frames)
                {
                    try
                    {
                        await Task.Delay(period, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return ExitCodes.Success; // Ctrl-C ends a top
                    }
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>One refresh: the rates between two samples of the counters, busiest rule first.</summary>
    internal static void Render(TextWriter output, StatsResult before, StatsResult after, TimeSpan elapsed, bool terminal)
    {
        double seconds = Math.Max(elapsed.TotalSeconds, 1e-3);
        var earlier = before.Rules.ToDictionary(r => (r.Queue, r.Name));
        var rows = new List<(RuleStats Rule, long Calls, long Drops, long Failures, long Nanoseconds)>();
        foreach (RuleStats rule in after.Rules)
        {
            // A rule loaded (or replaced) since the last sample counts from 0.
            RuleStats? was = earlier.GetValueOrDefault((rule.Queue, rule.Name));
            bool restarted = was is null || was.Calls > rule.Calls;
            long calls = rule.Calls - (restarted ? 0 : was!.Calls);
            long drops = rule.Dropped - (restarted ? 0 : was!.Dropped);
            long failures = rule.Errors + rule.LimitsExceeded - (restarted ? 0 : was!.Errors + was.LimitsExceeded);
            long nanoseconds = rule.TotalNanoseconds - (restarted ? 0 : was!.TotalNanoseconds);
            rows.Add((rule, calls, drops, failures, nanoseconds));
        }

        var table = new TextTable("QUEUE", "RULE", "CALLS/S", "DROPS/S", "FAILURES/S", "MEAN/CALL").AlignRight(0, 2, 3, 4, 5);
        foreach (var row in rows.OrderByDescending(r => r.Calls).ThenBy(r => r.Rule.Queue).ThenBy(r => r.Rule.Name, StringComparer.Ordinal))
        {
            table.Add(
                Numbers.Plain(row.Rule.Queue),
                row.Rule.Name,
                Rate(row.Calls, seconds),
                Rate(row.Drops, seconds),
                Rate(row.Failures, seconds),
                row.Calls > 0 ? Numbers.Nanoseconds((double)row.Nanoseconds / row.Calls) : "-");
        }

        long packets = after.Queues.Sum(q => q.Packets) - before.Queues.Sum(q => q.Packets);
        if (terminal)
        {
            output.Write("\u001b[H\u001b[2J"); // home, clear: redraw in place
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"nflua-ctl top: {DateTime.Now:HH:mm:ss}, over {seconds:0.0#} s: {Rate(packets, seconds)} packets/s on {after.Queues.Count} queue(s)"));
        if (table.RowCount == 0)
        {
            output.WriteLine("  no rules loaded");
        }
        else
        {
            table.WriteTo(output);
        }

        if (!terminal)
        {
            output.WriteLine();
        }

        output.Flush();
    }

    private static string Rate(long count, double seconds) => Math.Max(0, count / seconds).ToString("0.#", CultureInfo.InvariantCulture);
}
