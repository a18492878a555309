using System.Text;
using System.Text.RegularExpressions;
using NfLua.Control;
using NfLua.Daemon.Queues;
using NfLua.Daemon.Rules;
using NfLua.Netlink;
using NfLua.Scripting;

namespace NfLua.Daemon.Hosting;

/// <summary>
/// Answers control requests (nflua-ctl). Called from several connections at once: every change
/// goes through <see cref="DaemonRules"/>, which serialises changes and publishes atomically.
/// </summary>
internal sealed partial class ControlHandler(NfluadService service, DaemonRules rules)
{
    private static readonly string s_version = typeof(ControlHandler).Assembly.GetName().Version?.ToString(3) ?? "0";

    public ValueTask<ControlResponse> HandleAsync(ControlRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ControlResponse response = request.Command switch
        {
            LoadRequest load => Load(request.Id, load),
            UnloadRequest unload => Unload(request.Id, unload),
            ListRequest list => ControlResponse.Success(request.Id, new ListResult(RuleInfos(list.Queue))),
            StatsRequest stats => ControlResponse.Success(request.Id, Stats(stats.Queue)),
            StatusRequest => ControlResponse.Success(request.Id, Status()),
            ReloadRequest => Reload(request.Id),
            _ => ControlResponse.Failure(request.Id, ControlErrorName.Unsupported, "unknown request"),
        };
        return ValueTask.FromResult(response);
    }

    private ControlResponse Load(int id, LoadRequest load)
    {
        if (load.Queue is < 0 or > ushort.MaxValue)
        {
            return ControlResponse.Failure(id, ControlErrorName.BadRequest, $"queue {load.Queue} is not a queue number (0-65535)");
        }

        if (load.Name.Length is 0 or > 64 || !load.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return ControlResponse.Failure(id, ControlErrorName.BadRequest, "a rule name is 1-64 letters, digits, '-', '_' or '.'");
        }

        RuleLimits defaults = service.Config.DefaultLimits;
        var limits = defaults with
        {
            MaxInstructions = load.MaxInstructions ?? defaults.MaxInstructions,
            MaxMemoryBytes = load.MaxMemory ?? defaults.MaxMemoryBytes,
            OnError = load.OnError switch
            {
                RuleFailureVerdict.Drop => ErrorVerdict.Drop,
                RuleFailureVerdict.Accept => ErrorVerdict.Accept,
                _ => defaults.OnError,
            },
        };
        var queue = (ushort)load.Queue;
        string scriptName = string.IsNullOrEmpty(load.ScriptPath) ? load.Name + ".lua" : load.ScriptPath;
        bool replaced = rules.Source(load.Name) is not null;
        IReadOnlyList<string> errors = rules.Load(new RuleSource(load.Name, queue, Encoding.UTF8.GetBytes(load.Script), scriptName, limits, FromConfiguration: false));
        if (errors.Count > 0)
        {
            Match where = FileAndLine().Match(errors[0]);
            return ControlResponse.Failure(id, new ControlError(
                ControlErrorName.CompileError,
                string.Join(Environment.NewLine, errors),
                where.Success ? where.Groups["file"].Value : scriptName,
                where.Success ? int.Parse(where.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture) : null));
        }

        if (service.EnsureQueue(queue) is { } reason)
        {
            rules.Unload(load.Name);
            return ControlResponse.Failure(id, ControlErrorName.Unsupported, $"rule '{load.Name}' not loaded: queue {queue} cannot be bound: {reason}");
        }

        RuleInfo info = RuleInfos(queue).Single(r => r.Name == load.Name);
        return ControlResponse.Success(id, new LoadResult(info, replaced));
    }

    private ControlResponse Unload(int id, UnloadRequest unload)
    {
        RuleSource? source = rules.Source(unload.Name);
        return source is not null && rules.Unload(unload.Name)
            ? ControlResponse.Success(id, new UnloadResult(unload.Name, source.Queue))
            : ControlResponse.Failure(id, ControlErrorName.NotFound, $"no rule named '{unload.Name}' (nflua-ctl list shows the loaded rules)");
    }

    private ControlResponse Reload(int id)
    {
        IReadOnlyList<string> errors = service.Reload();
        if (errors.Count > 0)
        {
            return ControlResponse.Failure(id, ControlErrorName.BadRequest, "reload refused, the running rules stay:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        }

        return ControlResponse.Success(id, new ReloadResult(
            service.Config.Queues.Sum(q => q.Rules.Count), service.Config.Queues.Count, service.Config.Source.Length == 0 ? null : service.Config.Source));
    }

    private List<RuleInfo> RuleInfos(int? onlyQueue) =>
        [.. rules.Queues.Values
            .Where(q => onlyQueue is null || q.Queue == onlyQueue)
            .OrderBy(q => q.Queue)
            .SelectMany(q => q.Published.Rules.Select((rule, position) => new RuleInfo(
                rule.Name,
                q.Queue,
                position + 1,
                rule.Limits.MaxInstructions,
                rule.Limits.MaxMemoryBytes,
                rule.Limits.OnError == ErrorVerdict.Drop ? RuleFailureVerdict.Drop : RuleFailureVerdict.Accept,
                rules.Source(rule.Name)?.ScriptName)))];

    private StatsResult Stats(int? onlyQueue)
    {
        var queues = new List<QueueStats>();
        foreach (QueueWorker worker in service.Workers.Where(w => onlyQueue is null || w.Queue == onlyQueue).OrderBy(w => w.Queue))
        {
            QueueCountersSnapshot c = worker.Counters.Snapshot();
            long failures = rules.For(worker.Queue).Published.Rules.Sum(r => r.Counters.Snapshot().Failures) + c.WorkerFaults;
            long undelivered = worker.Channel is NetlinkQueueChannel netlink ? netlink.Undelivered : 0;
            queues.Add(new QueueStats(worker.Queue, c.Packets, c.Accepted, c.Dropped, failures, c.Batches, Kernel(worker.Queue), undelivered));
        }

        var ruleStats = new List<RuleStats>();
        foreach (var queue in rules.Queues.Values.Where(q => onlyQueue is null || q.Queue == onlyQueue).OrderBy(q => q.Queue))
        {
            foreach (LuaRule rule in queue.Published.Rules)
            {
                RuleCountersSnapshot r = rule.Counters.Snapshot();
                ruleStats.Add(new RuleStats(rule.Name, queue.Queue, r.Calls, r.Pass + r.Accept, r.Drop, r.ScriptErrors + r.BadReturns,
                    r.InstructionLimitHits + r.MemoryLimitHits + r.TimeLimitHits, r.ElapsedNanoseconds, r.MaxNanoseconds));
            }
        }

        return new StatsResult(queues, ruleStats);
    }

    private StatusResult Status()
    {
        var queues = new List<QueueStatus>();
        foreach (QueueWorker worker in service.Workers.OrderBy(w => w.Queue))
        {
            if (worker.Channel is NetlinkQueueChannel netlink)
            {
                NfQueueSettings s = netlink.Settings;
                queues.Add(new QueueStatus(worker.Queue, true, s.MaxLength, s.CopyRange, s.FailOpen, s.Gso, s.UidGid,
                    s.Conntrack == NfConntrackSupport.Enabled, Kernel(worker.Queue), Cpu: worker.Pinned ? worker.Cpu : null));
            }
            else
            {
                var configured = service.QueueSettings(worker.Queue);
                queues.Add(new QueueStatus(worker.Queue, true, configured.MaxLength, configured.CopyRange, worker.FailOpen, false, false, false, Kernel(worker.Queue), Cpu: worker.Pinned ? worker.Cpu : null));
            }
        }

        foreach (var (queue, reason) in service.Unbound)
        {
            var configured = service.QueueSettings(queue);
            queues.Add(new QueueStatus(queue, false, configured.MaxLength, configured.CopyRange, configured.FailOpen, false, false, false, Kernel(queue), reason));
        }

        return new StatusResult(
            s_version,
            Environment.ProcessId,
            (long)(DateTimeOffset.UtcNow - service.StartedAt).TotalSeconds,
            queues,
            service.Config.Source.Length == 0 ? null : service.Config.Source,
            Runtime());
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

    [GeneratedRegex(@"^(?<file>[^:\n]+):(?<line>\d+):")]
    private static partial Regex FileAndLine();
}
