using System.CommandLine;
using NfLua.Cli.Output;
using NfLua.Control;

namespace NfLua.Cli.Daemon;

/// <summary><c>nflua-ctl status</c>.</summary>
internal static class StatusCommand
{
    public static Command Create(GlobalOptions globals, CliEnvironment environment)
    {
        var json = GlobalOptions.CreateJson();
        var command = new Command(
            "status",
            """
            Show the daemon (version, pid, uptime, configuration, memory and GC counters) and each queue's effective settings as the kernel has them:
            bound, queue length, copy range, fail-open (what the kernel does when NfLua cannot answer), GSO, uid/gid,
            conntrack support, and the kernel's counters.
            Example: nflua-ctl status
            """)
        {
            json,
        };
        globals.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
            new DaemonCall(globals, environment).RunAsync(parse, "status", new StatusRequest(), result =>
            {
                var status = (StatusResult)result;
                if (parse.GetValue(json))
                {
                    JsonOutput.Write(environment.Out, status, CliJsonContext.Default.StatusResult);
                    return;
                }

                Render(status, environment.Out);
            }, cancellationToken));
        return command;
    }

    private static void Render(StatusResult status, TextWriter output)
    {
        var daemon = new TextTable("DAEMON", "");
        daemon.Add("version", status.Version);
        daemon.Add("pid", Numbers.Plain(status.ProcessId));
        daemon.Add("uptime", Numbers.Duration(status.UptimeSeconds));
        daemon.Add("config", status.ConfigPath ?? "(built-in defaults)");
        if (status.Runtime is { } runtime)
        {
            daemon.Add("resident memory", Numbers.Count(runtime.ResidentBytes) + " B");
            daemon.Add("managed heap", Numbers.Count(runtime.ManagedHeapBytes) + " B");
            daemon.Add("allocated since start", Numbers.Count(runtime.AllocatedBytes) + " B");
            daemon.Add("gc gen0/gen1/gen2", $"{Numbers.Plain(runtime.Gen0Collections)}/{Numbers.Plain(runtime.Gen1Collections)}/{Numbers.Plain(runtime.Gen2Collections)}");
        }

        daemon.WriteTo(output);
        output.WriteLine();

        if (status.Queues.Count == 0)
        {
            output.WriteLine("no queues configured");
            return;
        }

        var queues = new TextTable("QUEUE", "BOUND", "MAXLEN", "COPY-RANGE", "FAIL-OPEN", "GSO", "UID-GID", "CONNTRACK", "CPU", "K-WAITING", "K-QUEUE-DROPPED", "K-USER-DROPPED")
            .AlignRight(0, 2, 3, 8, 9, 10, 11);
        foreach (QueueStatus queue in status.Queues.OrderBy(q => q.Queue))
        {
            KernelQueueCounters? kernel = queue.Kernel;
            queues.Add(
                Numbers.Plain(queue.Queue),
                Numbers.YesNo(queue.Bound),
                Numbers.Count(queue.MaxLength),
                Numbers.Count(queue.CopyRange),
                Numbers.YesNo(queue.FailOpen),
                Numbers.YesNo(queue.Gso),
                Numbers.YesNo(queue.UidGid),
                Numbers.YesNo(queue.ConntrackSupported),
                queue.Cpu is { } cpu ? Numbers.Plain(cpu) : "-",
                kernel is null ? "-" : Numbers.Count(kernel.Waiting),
                kernel is null ? "-" : Numbers.Count(kernel.QueueDropped),
                kernel is null ? "-" : Numbers.Count(kernel.UserDropped));
        }

        queues.WriteTo(output);
        if (status.KernelCountersProblem is { } problem)
        {
            output.WriteLine($"kernel counters (K-) unavailable: {problem}");
        }

        foreach (QueueStatus queue in status.Queues.Where(q => !q.Bound && q.Reason is not null).OrderBy(q => q.Queue))
        {
            output.WriteLine($"queue {Numbers.Plain(queue.Queue)} not bound: {queue.Reason}");
        }

        foreach (QueueStatus queue in status.Queues.Where(q => q.StuckForMs is not null).OrderBy(q => q.Queue))
        {
            string where = queue.StuckRule is { } rule ? $"in rule {rule}" : "outside the rules";
            output.WriteLine($"queue {Numbers.Plain(queue.Queue)} STUCK: its worker has been {where} for {Numbers.Nanoseconds(queue.StuckForMs!.Value * 1e6)}; its packets wait");
        }

        foreach (QueueStatus queue in status.Queues.Where(q => q.PendingRestart is not null).OrderBy(q => q.Queue))
        {
            output.WriteLine($"queue {Numbers.Plain(queue.Queue)} pending restart: changed {queue.PendingRestart} apply when nfluad restarts");
        }
    }
}
