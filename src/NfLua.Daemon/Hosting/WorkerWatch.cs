using System.Globalization;
using Microsoft.Extensions.Logging;
using NfLua.Daemon.Queues;
using NfLua.Scripting;

namespace NfLua.Daemon.Hosting;

/// <summary>
/// The last line of defence against a worker that does not come back: every <see cref="NfluadOptions.WatchInterval"/> it
/// looks at each worker's step count (<see cref="Engine.RuleProgress"/>). A count that stood still for longer than the
/// bound (watchdog { stuck_after_ms }, else ten times the time limit of the rule the worker is in, at least a second)
/// makes the queue stuck: logged once, shown by <c>status</c> with the rule's name, until the worker moves again. And
/// systemd's watchdog is fed only while every live worker's count moved since the last WATCHDOG=1, so a worker wedged
/// in native code gets the service restarted instead of holding its queue for ever.
/// </summary>
internal sealed partial class WorkerWatch(
    QueueWorkers workers,
    DaemonConfiguration configuration,
    IServiceNotifier notifier,
    NfluadOptions options,
    ILogger<WorkerWatch> logger) : IDisposable
{
    private static readonly TimeSpan s_minimumBound = TimeSpan.FromSeconds(1);
    private const int TimeLimitFactor = 10;

    private readonly Lock _lock = new();
    private readonly Dictionary<QueueWorker, Watched> _watched = [];
    private Timer? _timer;
    private long _nextPingMs;

    /// <summary>Starts looking (and feeding the watchdog, when systemd asked for it).</summary>
    public void Start() => _timer = new Timer(_ => Check(Environment.TickCount64), null, TimeSpan.Zero, options.WatchInterval);

    /// <summary>Whether the queue's worker is stuck now: the rule it is in (null: outside the rules) and for how long.</summary>
    public StuckWorker? Stuck(ushort queue)
    {
        lock (_lock)
        {
            return _watched.FirstOrDefault(w => w.Key.Queue == queue).Value?.Stuck;
        }
    }

    /// <summary>One look at every worker at <paramref name="nowMs"/> (a monotonic clock); the timer calls it.</summary>
    internal void Check(long nowMs)
    {
        lock (_lock)
        {
            IReadOnlyList<QueueWorker> live = workers.All;
            foreach (QueueWorker gone in _watched.Keys.Except(live).ToList())
            {
                _watched.Remove(gone);
            }

            bool allMoved = true;
            foreach (QueueWorker worker in live)
            {
                long steps = worker.Progress.Steps;
                if (!_watched.TryGetValue(worker, out Watched? watched))
                {
                    _watched[worker] = watched = new Watched(steps, nowMs);
                }

                allMoved &= steps != watched.StepsAtPing;
                Look(worker, watched, steps, nowMs);
            }

            if (options.WatchdogPeriod is { } period && nowMs >= _nextPingMs && allMoved)
            {
                notifier.Watchdog();
                _nextPingMs = nowMs + (long)period.TotalMilliseconds;
                foreach (QueueWorker worker in live)
                {
                    _watched[worker].StepsAtPing = worker.Progress.Steps;
                }
            }
        }
    }

    public void Dispose() => _timer?.Dispose();

    private void Look(QueueWorker worker, Watched watched, long steps, long nowMs)
    {
        if (steps != watched.Steps)
        {
            if (watched.Stuck is { } was)
            {
                string where = Describe(was.Rule);
                WorkerRecovered(logger, worker.Queue, (nowMs - watched.SinceMs) / 1000.0, where);
            }

            watched.Steps = steps;
            watched.SinceMs = nowMs;
            watched.Stuck = null;
            return;
        }

        if (worker.Stopping)
        {
            return; // a worker draining its queue on the way out is the stop's business
        }

        LuaRule? rule = worker.Progress.CurrentRule;
        TimeSpan bound = Bound(configuration.Current.StuckAfter, rule);
        long still = nowMs - watched.SinceMs;
        if (still <= bound.TotalMilliseconds)
        {
            return;
        }

        bool first = watched.Stuck is null;
        watched.Stuck = new StuckWorker(rule?.Name, TimeSpan.FromMilliseconds(still));
        if (first)
        {
            string where = Describe(rule?.Name);
            WorkerStuck(logger, worker.Queue, where, still / 1000.0, bound.TotalSeconds, options.WatchdogPeriod is null ? "" : "; systemd's watchdog is no longer fed");
        }
    }

    /// <summary>How long a worker may stand still: the configured bound, else ten times the rule's time limit, at least a second.</summary>
    internal static TimeSpan Bound(TimeSpan? stuckAfter, LuaRule? rule)
    {
        if (stuckAfter is { } configured)
        {
            return configured;
        }

        TimeSpan fromRule = rule is null ? TimeSpan.Zero : rule.Limits.MaxCallTime * TimeLimitFactor;
        return fromRule > s_minimumBound ? fromRule : s_minimumBound;
    }

    private static string Describe(string? rule) => rule is null ? "outside the rules (receiving or sending)" : $"in rule {rule}";

    [LoggerMessage(EventId = LogEventIds.WorkerStuck, Level = LogLevel.Critical, Message = "queue {Queue} is stuck: its worker has been {Where} for {Seconds:F1} s, past its bound of {Bound:F1} s; the queue's packets wait{Watchdog}")]
    private static partial void WorkerStuck(ILogger logger, ushort queue, string where, double seconds, double bound, string watchdog);

    [LoggerMessage(EventId = LogEventIds.WorkerRecovered, Level = LogLevel.Warning, Message = "queue {Queue}: its worker came back after {Seconds:F1} s {Where}")]
    private static partial void WorkerRecovered(ILogger logger, ushort queue, double seconds, string where);

    private sealed class Watched(long steps, long sinceMs)
    {
        public long Steps { get; set; } = steps;

        public long SinceMs { get; set; } = sinceMs;

        public long StepsAtPing { get; set; } = steps - 1; // a new worker counts as moved for the first ping

        public StuckWorker? Stuck { get; set; }
    }
}

/// <summary>A worker that has not moved for longer than its bound: the rule it is in (null: outside the rules) and for how long.</summary>
internal sealed record StuckWorker(string? Rule, TimeSpan For)
{
    /// <summary>"in rule x for 3.2 s", for the log and <c>status</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(Rule is null ? "outside the rules" : "in rule " + Rule)} for {For.TotalSeconds:F1} s");
}
