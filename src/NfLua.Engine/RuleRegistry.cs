using Microsoft.Extensions.Logging;
using NfLua.Scripting;

namespace NfLua.Engine;

/// <summary>
/// Every rule of the daemon and every queue's published set, and the only way they change. A rule is a name with a set
/// of queues: it is compiled into one Lua state per queue, and loading, moving and unloading act on all of them at
/// once. Changes come in two steps: <see cref="Compile"/> off the hot path (nothing changes), then a publication
/// (<see cref="Load"/> or <see cref="ApplyConfiguration"/>) that swaps each queue's set atomically for its worker.
/// </summary>
public sealed class RuleRegistry
{
    private readonly Lock _changeLock = new();
    private readonly Dictionary<ushort, QueueRules> _queues = [];
    private readonly Dictionary<string, RuleDefinition> _definitions = new(StringComparer.Ordinal);
    private readonly Func<string, ILogger?> _loggerFor;

    /// <summary>Creates an empty registry.</summary>
    /// <param name="loggerFor">The logger of a rule's failures, by rule name (none when null).</param>
    public RuleRegistry(Func<string, ILogger?>? loggerFor = null) => _loggerFor = loggerFor ?? (_ => null);

    /// <summary>
    /// What every rule compiled from now on is given besides its own parameters: the named sets, the trusted modules,
    /// the interface names. The host sets it at start and on every reload.
    /// </summary>
    public RuleEnvironment Shared { get; set; } = RuleEnvironment.Empty;

    /// <summary>The queues that have (or had) rules, by number.</summary>
    public IReadOnlyDictionary<ushort, QueueRules> Queues
    {
        get
        {
            lock (_changeLock)
            {
                return new Dictionary<ushort, QueueRules>(_queues);
            }
        }
    }

    /// <summary>Every rule, by name.</summary>
    public IReadOnlyList<RuleDefinition> Definitions
    {
        get
        {
            lock (_changeLock)
            {
                return [.. _definitions.Values.OrderBy(d => d.Name, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>The queues some rule filters now.</summary>
    public IReadOnlySet<ushort> QueuesInUse
    {
        get
        {
            lock (_changeLock)
            {
                return _definitions.Values.SelectMany(d => d.SortedQueues).ToHashSet();
            }
        }
    }

    /// <summary>The rules of a queue (created empty when it has none yet).</summary>
    public QueueRules For(ushort queue)
    {
        lock (_changeLock)
        {
            return ForLocked(queue);
        }
    }

    /// <summary>The rule called <paramref name="name"/>, or null.</summary>
    public RuleDefinition? Find(string name)
    {
        lock (_changeLock)
        {
            return _definitions.GetValueOrDefault(name);
        }
    }

    /// <summary>
    /// Compiles every definition for each of its queues. Nothing is published: pass the result to <see cref="Load"/> or
    /// <see cref="ApplyConfiguration"/>, or dispose it. A definition that fails is compiled once and reported once.
    /// </summary>
    /// <param name="definitions">The rules.</param>
    /// <param name="shared">What they are given besides their parameters; <see cref="Shared"/> when null (a reload
    /// compiles against the sets and modules it is about to put in force).</param>
    public CompiledRules Compile(IReadOnlyList<RuleDefinition> definitions, RuleEnvironment? shared = null)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var errors = new List<string>();
        var compiled = new List<(RuleDefinition, ushort, LuaRule)>();
        shared ??= Shared;
        foreach (RuleDefinition definition in definitions)
        {
            if (definition.SortedQueues.Count == 0)
            {
                errors.Add($"rule '{definition.Name}' has no queue");
                continue;
            }

            foreach (ushort queue in definition.SortedQueues)
            {
                try
                {
                    RuleEnvironment environment = definition.Params is { } parameters ? shared with { Params = parameters } : shared;
                    LuaRule rule = LuaRule.Compile(
                        definition.Name, definition.Script, definition.ScriptName, definition.Limits, _loggerFor(definition.Name), environment);
                    rule.Monitor = definition.Monitor;
                    rule.Messages.Queue = queue;
                    compiled.Add((definition, queue, rule));
                }
                catch (RuleCompileException ex)
                {
                    errors.Add(ex.Message);
                    break; // the same text fails the same way on every queue
                }
            }
        }

        var result = new CompiledRules(definitions, errors);
        compiled.ForEach(c => result.Add(c.Item1, c.Item2, c.Item3));
        if (errors.Count > 0)
        {
            result.Dispose();
        }

        return result;
    }

    /// <summary>
    /// Publishes one compiled rule: it replaces the rule of the same name in place on the queues both have, is appended
    /// on its new queues, and leaves the queues it no longer names, all in one change.
    /// </summary>
    public RuleChange Load(CompiledRules compiled)
    {
        ArgumentNullException.ThrowIfNull(compiled);
        RuleDefinition definition = compiled.Definitions.Count == 1 ? compiled.Definitions[0] : throw new ArgumentException("one rule at a time", nameof(compiled));
        lock (_changeLock)
        {
            compiled.MarkPublished();
            RuleDefinition? previous = _definitions.GetValueOrDefault(definition.Name);
            foreach (ushort queue in definition.SortedQueues)
            {
                LuaRule rule = compiled.For(definition, queue);
                ForLocked(queue).Publish(set => set.WithRule(rule));
            }

            var change = new RuleChange(definition, previous);
            foreach (ushort queue in change.LeftQueues)
            {
                ForLocked(queue).Publish(set => set.WithoutRule(definition.Name));
            }

            _definitions[definition.Name] = definition;
            return change;
        }
    }

    /// <summary>
    /// Makes the configured rules what <paramref name="configured"/> holds: every earlier configured rule goes, rules
    /// loaded through the control socket stay (after the configured ones of their queue) unless the configuration now
    /// defines their name. Returns those it displaced.
    /// </summary>
    public IReadOnlyList<RuleDefinition> ApplyConfiguration(CompiledRules configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        if (configured.Definitions.Any(d => d.Origin != RuleOrigin.Configuration))
        {
            throw new ArgumentException("only configured rules", nameof(configured));
        }

        lock (_changeLock)
        {
            configured.MarkPublished();
            var names = configured.Definitions.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
            var displaced = _definitions.Values.Where(d => d.Origin == RuleOrigin.Control && names.Contains(d.Name)).ToList();
            bool Kept(LuaRule rule) =>
                !names.Contains(rule.Name) && _definitions.TryGetValue(rule.Name, out RuleDefinition? d) && d.Origin == RuleOrigin.Control;

            foreach (ushort queue in configured.Queues.Concat(_queues.Keys).Distinct().ToList())
            {
                ForLocked(queue).Publish(current => RuleSet.Of(configured.For(queue).Concat(current.Rules.Where(Kept))));
            }

            foreach (RuleDefinition gone in _definitions.Values.Where(d => d.Origin == RuleOrigin.Configuration || names.Contains(d.Name)).ToList())
            {
                _definitions.Remove(gone.Name);
            }

            foreach (RuleDefinition definition in configured.Definitions)
            {
                _definitions[definition.Name] = definition;
            }

            return displaced;
        }
    }

    /// <summary>
    /// Puts the rule called <paramref name="name"/> in monitor mode or takes it out (enforce), on every queue it is on,
    /// keeping its state; returns its definition as it is now, or null when there is no such rule.
    /// </summary>
    public RuleDefinition? SetMonitor(string name, bool monitor)
    {
        lock (_changeLock)
        {
            if (!_definitions.TryGetValue(name, out RuleDefinition? definition))
            {
                return null;
            }

            definition = definition with { Monitor = monitor };
            _definitions[name] = definition;
            foreach (ushort queue in definition.SortedQueues)
            {
                foreach (LuaRule rule in ForLocked(queue).Published.Rules.Where(r => r.Name == name))
                {
                    rule.Monitor = monitor;
                }
            }

            return definition;
        }
    }

    /// <summary>Removes the rule called <paramref name="name"/> from every queue; returns it, or null when there is none.</summary>
    public RuleDefinition? Unload(string name)
    {
        lock (_changeLock)
        {
            if (!_definitions.Remove(name, out RuleDefinition? definition))
            {
                return null;
            }

            foreach (ushort queue in definition.SortedQueues)
            {
                ForLocked(queue).Publish(set => set.WithoutRule(name));
            }

            return definition;
        }
    }

    /// <summary>Drops every rule of every queue; call once the workers have stopped.</summary>
    public void Clear()
    {
        lock (_changeLock)
        {
            foreach (QueueRules rules in _queues.Values)
            {
                rules.Clear();
            }

            _definitions.Clear();
        }
    }

    private QueueRules ForLocked(ushort queue)
    {
        if (!_queues.TryGetValue(queue, out QueueRules? rules))
        {
            rules = new QueueRules(queue);
            _queues[queue] = rules;
        }

        return rules;
    }
}
