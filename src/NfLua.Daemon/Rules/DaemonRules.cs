using Microsoft.Extensions.Logging;
using NfLua.Daemon.Configuration;
using NfLua.Engine;
using NfLua.Scripting;

namespace NfLua.Daemon.Rules;

/// <summary>
/// Every queue's rules, and the only way they change: from the configuration (at start and on
/// reload) and from the control socket (load, unload). Rules are compiled off the hot path, each
/// change is all-or-nothing, and each queue's new set is published atomically for its worker.
/// </summary>
internal sealed class DaemonRules(ILoggerFactory loggers)
{
    private readonly Lock _changeLock = new();
    private readonly Dictionary<ushort, QueueRules> _queues = [];
    private readonly Dictionary<string, RuleSource> _sources = new(StringComparer.Ordinal);

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

    /// <summary>The rules of a queue (created empty when it has none yet).</summary>
    public QueueRules For(ushort queue)
    {
        lock (_changeLock)
        {
            if (!_queues.TryGetValue(queue, out QueueRules? rules))
            {
                rules = new QueueRules(queue);
                _queues[queue] = rules;
            }

            return rules;
        }
    }

    /// <summary>Where each rule came from (for list).</summary>
    public RuleSource? Source(string name)
    {
        lock (_changeLock)
        {
            return _sources.GetValueOrDefault(name);
        }
    }

    /// <summary>
    /// Makes the configured rules what <paramref name="config"/> says, keeping rules loaded at run time.
    /// Every script is read and compiled first; on any error nothing changes and every error is returned.
    /// </summary>
    public IReadOnlyList<string> ApplyConfiguration(DaemonConfig config)
    {
        var errors = new List<string>();
        var compiled = new List<(RuleSource Source, LuaRule Rule)>();
        foreach (QueueConfig queue in config.Queues)
        {
            foreach (RuleConfig rule in queue.Rules)
            {
                RuleSource? source = ReadScript(rule, queue.Number, errors);
                if (source is not null && TryCompile(source, errors) is { } luaRule)
                {
                    compiled.Add((source, luaRule));
                }
            }
        }

        if (errors.Count > 0)
        {
            compiled.ForEach(c => c.Rule.Dispose());
            return errors;
        }

        lock (_changeLock)
        {
            var queues = config.Queues.Select(q => q.Number).Concat(_queues.Keys).Distinct().ToList();
            foreach (ushort queue in queues)
            {
                var configured = compiled.Where(c => c.Source.Queue == queue).ToList();
                QueueRules rules = ForLocked(queue);
                rules.Publish(current => RuleSet.Of(
                    configured.Select(c => c.Rule)
                        .Concat(current.Rules.Where(r => _sources.TryGetValue(r.Name, out RuleSource? s) && !s.FromConfiguration
                            && !compiled.Any(c => c.Source.Name == r.Name)))));
            }

            foreach (string name in _sources.Where(s => s.Value.FromConfiguration).Select(s => s.Key).ToList())
            {
                _sources.Remove(name);
            }

            foreach (var (source, _) in compiled)
            {
                _sources[source.Name] = source;
            }
        }

        return errors;
    }

    /// <summary>Compiles and adds (or atomically replaces) a rule; returns its errors, empty on success.</summary>
    public IReadOnlyList<string> Load(RuleSource source)
    {
        var errors = new List<string>();
        LuaRule? rule = TryCompile(source, errors);
        if (rule is null)
        {
            return errors;
        }

        lock (_changeLock)
        {
            if (_sources.TryGetValue(source.Name, out RuleSource? existing) && existing.Queue != source.Queue)
            {
                // Moving a rule to another queue: it leaves its old queue in the same change.
                ForLocked(existing.Queue).Publish(set => set.WithoutRule(source.Name));
            }

            ForLocked(source.Queue).Publish(set => set.WithRule(rule));
            _sources[source.Name] = source;
        }

        return errors;
    }

    /// <summary>Removes a rule; false when there is none of that name.</summary>
    public bool Unload(string name)
    {
        lock (_changeLock)
        {
            if (!_sources.Remove(name, out RuleSource? source))
            {
                return false;
            }

            ForLocked(source.Queue).Publish(set => set.WithoutRule(name));
            return true;
        }
    }

    /// <summary>Drops every rule of every queue; call after the workers have stopped.</summary>
    public void Clear()
    {
        lock (_changeLock)
        {
            foreach (QueueRules rules in _queues.Values)
            {
                rules.Clear();
            }

            _sources.Clear();
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

    private static RuleSource? ReadScript(RuleConfig rule, ushort queue, List<string> errors)
    {
        try
        {
            return new RuleSource(rule.Name, queue, File.ReadAllBytes(rule.ScriptPath), rule.ScriptPath, rule.Limits, FromConfiguration: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{rule.DeclaredAt}: rule '{rule.Name}': cannot read {rule.ScriptPath}: {ex.Message}");
            return null;
        }
    }

    private LuaRule? TryCompile(RuleSource source, List<string> errors)
    {
        try
        {
            return LuaRule.Compile(source.Name, source.Script, source.ScriptName, source.Limits, loggers.CreateLogger("NfLua.Rules." + source.Name));
        }
        catch (RuleCompileException ex)
        {
            errors.Add(ex.Message);
            return null;
        }
    }
}
