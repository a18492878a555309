using Microsoft.Extensions.Logging;
using NfLua.Control;
using NfLua.Daemon.State;
using NfLua.Engine;

namespace NfLua.Daemon.Hosting;

/// <summary>
/// Every change of the rules while nfluad runs: load and unload (control socket), reload (SIGHUP or control socket),
/// restore (start). One change at a time, each all-or-nothing and in the same order: compile (nothing changes), bind the
/// queues it needs, write the state file, publish; then unbind the queues no rule and no configuration needs any more.
/// A step that fails undoes the steps before it, so a refused change leaves rules, queues and state file as they were.
/// </summary>
internal sealed partial class RuleChanges(
    RuleRegistry rules,
    QueueWorkers workers,
    DaemonConfiguration configuration,
    RuleStateFile state,
    NamedSets sets,
    ILogger<RuleChanges> logger)
{
    private readonly Lock _lock = new();

    /// <summary>The state file's path.</summary>
    public string StatePath => state.Path;

    /// <summary>Compiles and publishes one rule loaded through the control socket, in place of any rule of its name.</summary>
    public LoadOutcome Load(RuleDefinition definition) => Load(definition, writeState: true);

    /// <summary>As <see cref="Load(RuleDefinition)"/>; a restore does not write the state it reads.</summary>
    private LoadOutcome Load(RuleDefinition definition, bool writeState)
    {
        using CompiledRules compiled = rules.Compile([definition]);
        if (compiled.Errors.Count > 0)
        {
            return new LoadOutcome(null, compiled.Errors, null);
        }

        lock (_lock)
        {
            RuleDefinition? previous = rules.Find(definition.Name);
            if (previous is { Origin: RuleOrigin.Configuration } && definition.Persist)
            {
                // The configuration owns its names: at the next reload or start its rule comes back, so a replacement
                // of it is for now only (restoring it at start would contradict the configuration).
                definition = definition with { Persist = false };
            }

            if (BindAll(definition.SortedQueues, out IReadOnlyList<ushort> bound) is { } refusal)
            {
                return new LoadOutcome(null, [], refusal);
            }

            if (writeState && (definition.Persist || previous is { Persist: true, Origin: RuleOrigin.Control }))
            {
                IEnumerable<RuleDefinition> kept = Persisted().Where(r => r.Name != definition.Name);
                if (TryWriteState(definition.Persist ? kept.Append(definition) : kept) is { } failure)
                {
                    UnbindUnused(bound, "the load that bound it was refused");
                    return new LoadOutcome(null, [], failure);
                }
            }

            RuleChange change = rules.Load(compiled);
            UnbindUnused(change.LeftQueues, $"rule {definition.Name} moved away and no other rule uses it");
            string to = QueueRanges.Describe(definition.SortedQueues);
            if (change.LeftQueues.Count > 0)
            {
                string from = QueueRanges.Describe(change.LeftQueues);
                RuleMoved(logger, definition.Name, from, to);
            }
            else
            {
                RuleLoaded(logger, definition.Name, (previous is null ? "loaded" : "replaced") + (definition.Monitor ? " in monitor mode" : ""), to, definition.Persist ? "kept across restarts" : "until the next restart");
            }

            return new LoadOutcome(change, [], null);
        }
    }

    /// <summary>Removes a rule from every queue it is on.</summary>
    public UnloadOutcome Unload(string name)
    {
        lock (_lock)
        {
            if (rules.Find(name) is not { } definition)
            {
                return new UnloadOutcome(null, null);
            }

            if (definition is { Persist: true, Origin: RuleOrigin.Control } && TryWriteState(Persisted().Where(r => r.Name != name)) is { } failure)
            {
                return new UnloadOutcome(null, failure);
            }

            rules.Unload(name);
            UnbindUnused(definition.SortedQueues, $"rule {name} was unloaded and no other rule uses it");
            string queues = QueueRanges.Describe(definition.SortedQueues);
            RuleUnloaded(logger, name, queues);
            return new UnloadOutcome(definition, null);
        }
    }

    /// <summary>
    /// Puts a rule in monitor mode or back to enforcing, keeping its state; a rule loaded with nflua-ctl keeps the
    /// mode across restarts (the state file is written first), a configured rule until the next reload.
    /// </summary>
    public UnloadOutcome SetMonitor(string name, bool monitor)
    {
        lock (_lock)
        {
            if (rules.Find(name) is not { } definition)
            {
                return new UnloadOutcome(null, null);
            }

            RuleDefinition changed = definition with { Monitor = monitor };
            if (definition is { Persist: true, Origin: RuleOrigin.Control }
                && TryWriteState(Persisted().Where(r => r.Name != name).Append(changed)) is { } failure)
            {
                return new UnloadOutcome(null, failure);
            }

            RuleDefinition now = rules.SetMonitor(name, monitor)!;
            RuleModeChanged(logger, name, monitor ? "monitors (its verdicts are counted, not applied)" : "enforces its verdicts");
            return new UnloadOutcome(now, null);
        }
    }

    /// <summary>The rules the state file holds: those loaded through the control socket and not --no-persist.</summary>
    private IEnumerable<RuleDefinition> Persisted() =>
        rules.Definitions.Where(r => r is { Origin: RuleOrigin.Control, Persist: true });

    private string? TryWriteState(IEnumerable<RuleDefinition> persisted)
    {
        try
        {
            state.Write(persisted);
            return null;
        }
        catch (IOException ex)
        {
            return $"{ex.Message}; nothing changed (nflua-ctl load --no-persist loads a rule for this run only)";
        }
    }

    /// <summary>Binds every queue not bound yet; on a failure unbinds those it bound and returns why.</summary>
    private string? BindAll(IReadOnlyList<ushort> queues, out IReadOnlyList<ushort> bound)
    {
        var newlyBound = new List<ushort>();
        bound = newlyBound;
        foreach (ushort queue in queues.Where(q => !workers.IsBound(q)))
        {
            if (workers.Bind(configuration.SettingsOf(queue), configuration.IsConfigured(queue)) is { } reason)
            {
                UnbindUnused(newlyBound, "the change that bound it was refused");
                return $"queue {queue} cannot be bound: {reason}";
            }

            newlyBound.Add(queue);
        }

        return null;
    }

    /// <summary>Unbinds those of <paramref name="queues"/> that no rule uses and the configuration does not name.</summary>
    private void UnbindUnused(IEnumerable<ushort> queues, string why)
    {
        IReadOnlySet<ushort> used = rules.QueuesInUse;
        foreach (ushort queue in queues.Where(q => !used.Contains(q) && !configuration.IsConfigured(q)).ToList())
        {
            workers.Unbind(queue, why);
        }
    }

    [LoggerMessage(EventId = LogEventIds.RuleModeChanged, Level = LogLevel.Information, Message = "rule {Rule} now {Mode}")]
    private static partial void RuleModeChanged(ILogger logger, string rule, string mode);

    [LoggerMessage(EventId = LogEventIds.RuleLoaded, Level = LogLevel.Information, Message = "rule {Rule} {What} on {Queues} ({Persistence})")]
    private static partial void RuleLoaded(ILogger logger, string rule, string what, string queues, string persistence);

    [LoggerMessage(EventId = LogEventIds.RuleMoved, Level = LogLevel.Warning, Message = "moved rule {Rule} from {From} to {To}")]
    private static partial void RuleMoved(ILogger logger, string rule, string from, string to);

    [LoggerMessage(EventId = LogEventIds.RuleUnloaded, Level = LogLevel.Information, Message = "rule {Rule} unloaded from {Queues}")]
    private static partial void RuleUnloaded(ILogger logger, string rule, string queues);
}

/// <summary>What a load did (<see cref="Change"/>), or why it did nothing (compile errors, or a refusal).</summary>
internal sealed record LoadOutcome(RuleChange? Change, IReadOnlyList<string> CompileErrors, string? Refusal);

/// <summary>The rule an unload removed (null: there was none), or why it removed nothing.</summary>
internal sealed record UnloadOutcome(RuleDefinition? Removed, string? Refusal);
