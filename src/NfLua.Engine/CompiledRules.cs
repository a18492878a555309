using NfLua.Scripting;

namespace NfLua.Engine;

/// <summary>
/// Rules compiled and not yet published, one Lua state per rule and queue: what <see cref="RuleRegistry"/> publishes
/// once the caller has done what must come first (binding the queues). Disposing it frees whatever was not published.
/// </summary>
public sealed class CompiledRules : IDisposable
{
    private readonly List<(RuleDefinition Definition, ushort Queue, LuaRule Rule)> _rules = [];
    private bool _published;

    internal CompiledRules(IReadOnlyList<RuleDefinition> definitions, IReadOnlyList<string> errors)
    {
        Definitions = definitions;
        Errors = errors;
    }

    /// <summary>What was compiled, in the order given.</summary>
    public IReadOnlyList<RuleDefinition> Definitions { get; }

    /// <summary>Every compile error (file:line: message); when there is any, nothing can be published.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>Every queue one of the rules filters.</summary>
    public IReadOnlySet<ushort> Queues => Definitions.SelectMany(d => d.SortedQueues).ToHashSet();

    /// <summary>The compiled rules of <paramref name="queue"/>, in the order of <see cref="Definitions"/>.</summary>
    internal IEnumerable<LuaRule> For(ushort queue) => _rules.Where(r => r.Queue == queue).Select(r => r.Rule);

    /// <summary>The state compiled for <paramref name="definition"/> on <paramref name="queue"/>.</summary>
    internal LuaRule For(RuleDefinition definition, ushort queue) =>
        _rules.Single(r => ReferenceEquals(r.Definition, definition) && r.Queue == queue).Rule;

    internal void Add(RuleDefinition definition, ushort queue, LuaRule rule) => _rules.Add((definition, queue, rule));

    internal void MarkPublished()
    {
        if (Errors.Count > 0)
        {
            throw new InvalidOperationException("rules that did not compile cannot be published");
        }

        ObjectDisposedException.ThrowIf(_published, this);
        _published = true;
    }

    /// <summary>Frees the compiled states unless they were published (the queues' workers own those now).</summary>
    public void Dispose()
    {
        if (!_published)
        {
            _rules.ForEach(r => r.Rule.Dispose());
            _published = true;
        }

        _rules.Clear();
    }
}
