using Microsoft.Extensions.Logging;
using NfLua.Daemon.Configuration;
using NfLua.Daemon.Queues;
using NfLua.Engine;

namespace NfLua.Daemon.Hosting;

/// <content>Reloading the configuration.</content>
internal sealed partial class RuleChanges
{
    /// <summary>
    /// Applies <paramref name="loaded"/> whole, or nothing: every configured rule is compiled first. Queues the
    /// configuration adds are bound now; a bound queue keeps the settings it was bound with until the next start
    /// (reported as pending a restart); queues it no longer names are unbound when no loaded rule uses them.
    /// </summary>
    public ReloadOutcome Reload(ConfigResult loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        if (loaded.Config is not { } config)
        {
            return ReloadOutcome.Refused(loaded.Errors);
        }

        // Sets and modules are read again first, then every rule is compiled against them: any error, nothing changes.
        var errors = new List<string>();
        SetsCandidate? shared = sets.Prepare(config, errors, atStart: false);
        using CompiledRules? compiled = shared is null ? null : ConfiguredRules.Compile(config, rules, errors, shared.Environment);
        if (compiled is null || shared is null)
        {
            return ReloadOutcome.Refused(errors);
        }

        lock (_lock)
        {
            var displaced = rules.Definitions
                .Where(r => r.Origin == RuleOrigin.Control && compiled.Definitions.Any(c => c.Name == r.Name))
                .ToList();
            if (displaced.Any(r => r.Persist) && TryWriteState(Persisted().Except(displaced)) is { } failure)
            {
                return ReloadOutcome.Refused([failure]);
            }

            DaemonConfig before = configuration.Current;
            configuration.Use(config);
            var newlyBound = new List<ushort>();
            var notBound = new SortedDictionary<ushort, string>();
            foreach (QueueConfig queue in config.Queues.Where(q => !workers.IsBound(q.Number)))
            {
                if (workers.Bind(queue, configured: true) is { } reason)
                {
                    notBound[queue.Number] = reason;
                }
                else
                {
                    newlyBound.Add(queue.Number);
                }
            }

            sets.Commit(shared);
            foreach (RuleDefinition gone in rules.ApplyConfiguration(compiled))
            {
                RuleDisplaced(logger, gone.Name);
            }

            var pending = new SortedDictionary<ushort, string>();
            foreach (QueueWorker worker in workers.All)
            {
                QueueConfig? configured = config.Queues.FirstOrDefault(q => q.Number == worker.Queue);
                string? changed = configured is null ? null : ChangedSettings(worker.Settings, configured);
                workers.SetPendingRestart(worker.Queue, changed);
                if (changed is not null)
                {
                    pending[worker.Queue] = changed;
                    QueueSettingsNeedRestart(logger, worker.Queue, changed);
                }
            }

            var dropped = before.Queues.Select(q => q.Number).Except(config.Queues.Select(q => q.Number)).ToList();
            dropped.ForEach(workers.Forget);
            var boundBefore = workers.All.Select(w => w.Queue).ToHashSet();
            UnbindUnused(dropped, "the configuration no longer names it and no loaded rule uses it");
            Reloaded(logger, config.Source.Length == 0 ? "built-in defaults" : config.Source);
            return new ReloadOutcome([], new ReloadSummary(
                rules.Definitions.Count(r => r.Origin == RuleOrigin.Configuration),
                config.Queues.Count,
                newlyBound,
                [.. boundBefore.Except(workers.All.Select(w => w.Queue)).Order()],
                notBound,
                pending));
        }
    }

    /// <summary>The names of the queue settings that differ ("maxlen, cpu"), or null when none do.</summary>
    private static string? ChangedSettings(QueueConfig bound, QueueConfig now)
    {
        var changed = new List<string>();
        if (bound.MaxLength != now.MaxLength)
        {
            changed.Add("maxlen");
        }

        if (bound.CopyRange != now.CopyRange)
        {
            changed.Add("copy_range");
        }

        if (bound.FailOpen != now.FailOpen)
        {
            changed.Add("fail_open");
        }

        if (bound.ReceiveBufferBytes != now.ReceiveBufferBytes)
        {
            changed.Add("rcvbuf");
        }

        if (bound.Cpu != now.Cpu)
        {
            changed.Add("cpu");
        }

        if (bound.RejectMark != now.RejectMark)
        {
            changed.Add("reject_mark");
        }

        return changed.Count == 0 ? null : string.Join(", ", changed);
    }

    [LoggerMessage(EventId = LogEventIds.Reloaded, Level = LogLevel.Information, Message = "configuration reloaded from {Source}")]
    private static partial void Reloaded(ILogger logger, string source);

    [LoggerMessage(EventId = LogEventIds.QueueSettingsNeedRestart, Level = LogLevel.Warning, Message = "queue {Queue}: changed {Settings} take effect at the next start (pending restart); its rules were reloaded")]
    private static partial void QueueSettingsNeedRestart(ILogger logger, ushort queue, string settings);

    [LoggerMessage(EventId = LogEventIds.RuleDisplaced, Level = LogLevel.Warning, Message = "rule {Rule} loaded with nflua-ctl was replaced by the configuration's rule of that name")]
    private static partial void RuleDisplaced(ILogger logger, string rule);
}

/// <summary>What a reload did, or every reason it did nothing.</summary>
internal sealed record ReloadOutcome(IReadOnlyList<string> Errors, ReloadSummary? Summary)
{
    public static ReloadOutcome Refused(IReadOnlyList<string> errors) => new(errors, null);
}

/// <summary>The configuration in force after a reload, and what happened to the queues.</summary>
internal sealed record ReloadSummary(
    int Rules,
    int Queues,
    IReadOnlyList<ushort> Bound,
    IReadOnlyList<ushort> Unbound,
    IReadOnlyDictionary<ushort, string> NotBound,
    IReadOnlyDictionary<ushort, string> PendingRestart);
