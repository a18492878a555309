using NfLua.Control;
using NfLua.Daemon.Configuration;
using NfLua.Daemon.Queues;
using NfLua.Netlink;
using NfLua.Scripting;

namespace NfLua.Daemon.Hosting;

/// <content>stats and status: counters and settings as they are now.</content>
internal sealed partial class ControlHandler
{
    /// <summary>The counters and the status, as stats --format prometheus gets them (for the metrics file).</summary>
    internal (StatsResult Stats, StatusResult Status) Snapshot() => (Stats(null), Status());

    private StatsResult Stats(int? onlyQueue)
    {
        var queues = new List<QueueStats>();
        foreach (QueueWorker worker in workers.All.Where(w => onlyQueue is null || w.Queue == onlyQueue))
        {
            QueueCountersSnapshot c = worker.Counters.Snapshot();
            // Counted by the worker, not summed over the rules loaded now: a replaced or unloaded rule's failures stay.
            long failures = c.RuleFailures + c.WorkerFaults;
            long undelivered = worker.Channel is NetlinkQueueChannel netlink ? netlink.Undelivered : 0;
            queues.Add(new QueueStats(worker.Queue, c.Packets, c.Accepted, c.Dropped, failures, c.Batches, Kernel(worker.Queue), undelivered, worker.Counters.WorkerAllocatedBytes));
        }

        var ruleStats = new List<RuleStats>();
        foreach (var queue in rules.Queues.Values.Where(q => onlyQueue is null || q.Queue == onlyQueue).OrderBy(q => q.Queue))
        {
            foreach (LuaRule rule in queue.Published.Rules)
            {
                RuleCountersSnapshot r = rule.Counters.Snapshot();
                // Every rule of this name so far (replaced, unloaded, reloaded): these counters only go up, like the queue's.
                Scripting.Messages.RuleMessageCounters m = events.Hub.Totals(rule.Name);
                ruleStats.Add(new RuleStats(rule.Name, queue.Queue, r.Calls, r.Pass + r.Accept, r.Drop, r.ScriptErrors + r.BadReturns,
                    r.InstructionLimitHits + r.MemoryLimitHits + r.TimeLimitHits, r.ElapsedNanoseconds, r.MaxNanoseconds,
                    r.OnErrorAccepted, r.OnErrorDropped, r.CallTimeHistogram, rule.Monitor ? "monitor" : "enforce",
                    m.Logs, m.LogsSuppressed, m.Alerts, m.AlertsSuppressed, m.Dropped,
                    rule.StreamCounters is { } s ? s.Conflicts + s.Invalid + s.NoRoom + s.Truncated + s.BadChecksums : 0,
                    rule.StreamCounters?.Conflicts ?? 0,
                    rule.StreamCounters is { } t ? t.StickyDrops + t.StickyAccepts : 0,
                    rule.StreamFlows, rule.StreamMemoryUsed));
            }
        }

        return new StatsResult(queues, ruleStats);
    }

    private StatusResult Status()
    {
        var queues = new List<QueueStatus>();
        foreach (QueueWorker worker in workers.All)
        {
            int? cpu = worker.Pinned ? worker.Cpu : null;
            string? pending = workers.PendingRestart(worker.Queue);
            StuckWorker? stuck = watch.Stuck(worker.Queue);
            long? stuckMs = stuck is null ? null : (long)stuck.For.TotalMilliseconds;
            if (worker.Channel is NetlinkQueueChannel netlink)
            {
                NfQueueSettings s = netlink.Settings;
                queues.Add(new QueueStatus(worker.Queue, true, s.MaxLength, s.CopyRange, s.FailOpen, s.Gso, s.UidGid,
                    s.Conntrack == NfConntrackSupport.Enabled, Kernel(worker.Queue), null, cpu, pending, stuckMs, stuck?.Rule));
            }
            else
            {
                QueueConfig bound = worker.Settings;
                queues.Add(new QueueStatus(worker.Queue, true, bound.MaxLength, bound.CopyRange, worker.FailOpen, false, false, false,
                    Kernel(worker.Queue), null, cpu, pending, stuckMs, stuck?.Rule));
            }
        }

        foreach (var (queue, reason) in workers.Unbound)
        {
            QueueConfig configured = configuration.SettingsOf(queue);
            queues.Add(new QueueStatus(queue, false, configured.MaxLength, configured.CopyRange, configured.FailOpen, false, false, false, Kernel(queue), reason));
        }

        string source = configuration.Current.Source;
        return new StatusResult(
            s_version,
            Environment.ProcessId,
            (long)(DateTimeOffset.UtcNow - service.StartedAt).TotalSeconds,
            [.. queues.OrderBy(q => q.Queue)],
            source.Length == 0 ? null : source,
            Runtime(),
            NfQueueProcReader.Problem());
    }

    /// <summary>Memory and GC counters: what the benchmarks read to show the steady state allocates nothing.</summary>
    private static RuntimeStatus Runtime()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return new RuntimeStatus(
            GC.GetTotalAllocatedBytes(precise: true),
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            process.WorkingSet64,
            GC.GetGCMemoryInfo().HeapSizeBytes);
    }

    private static KernelQueueCounters? Kernel(ushort queue) =>
        NfQueueProcReader.Find(queue) is { } k ? new KernelQueueCounters(k.Waiting, k.QueueDropped, k.UserDropped, k.IdSequence) : null;
}
