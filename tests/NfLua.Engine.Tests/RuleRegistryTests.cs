using System.Text;
using NfLua.Scripting;

namespace NfLua.Engine.Tests;

/// <summary>
/// The rule registry: a rule is a name with a set of queues, every change is all-or-nothing, and loads, moves and
/// unloads act on every queue of the rule at once.
/// </summary>
public sealed class RuleRegistryTests : IDisposable
{
    private readonly RuleRegistry _rules = new();

    public void Dispose() => _rules.Clear();

    [Fact]
    public void ApplyConfiguration_CompilesEveryQueuesRulesInOrder()
    {
        Configure(Configured("a", [1], "return true"), Configured("b", [1], "return false"), Configured("c", [2], "return false"));

        Assert.Equal(["a", "b"], Names(1));
        Assert.Equal(["c"], Names(2));
        Assert.Equal(DecisionKind.Drop, _rules.For(1).Acquire().Evaluate([1]).Kind);
    }

    [Fact]
    public void Compile_WithBadScripts_ReportsEachOnce_AndPublishingNothingChangesNothing()
    {
        Configure(Configured("a", [1], "return true"));

        using CompiledRules compiled = _rules.Compile([
            Configured("a", [1], "return false"),
            Configured("broken", [1, 2, 3], "return ("),
            Configured("also-broken", [1], "return )"),
        ]);

        Assert.Equal(2, compiled.Errors.Count); // broken is on three queues, and fails once
        Assert.Contains(compiled.Errors, e => e.StartsWith("broken.lua:3:", StringComparison.Ordinal));
        Assert.Throws<InvalidOperationException>(() => _rules.ApplyConfiguration(compiled));
        Assert.Equal(["a"], Names(1));
        Assert.Equal(DecisionKind.Accept, _rules.For(1).Acquire().Evaluate([1]).Kind);
    }

    [Fact]
    public void Load_ReplacesAtomicallyAndUnloadRemoves()
    {
        Load(Loaded("x", [3], "return true"));
        Load(Loaded("y", [3], "return 'queue', 7"));
        RuleChange replaced = Load(Loaded("x", [3], "return false"));

        Assert.NotNull(replaced.Previous);
        Assert.Empty(replaced.LeftQueues);
        Assert.Equal(["x", "y"], Names(3)); // in place
        Assert.Equal(DecisionKind.Drop, _rules.For(3).Acquire().Evaluate([1]).Kind);

        Assert.NotNull(_rules.Unload("x"));
        Assert.Null(_rules.Unload("x"));
        Assert.Equal(DecisionKind.Queue, _rules.For(3).Acquire().Evaluate([1]).Kind);
    }

    [Fact]
    public void Compile_ABadScript_KeepsTheOldRule()
    {
        Load(Loaded("x", [3], "return false"));

        using CompiledRules compiled = _rules.Compile([Loaded("x", [3], "return (")]);

        Assert.Contains("x.lua:3:", Assert.Single(compiled.Errors), StringComparison.Ordinal);
        Assert.Equal(DecisionKind.Drop, _rules.For(3).Acquire().Evaluate([1]).Kind);
    }

    [Fact]
    public void ApplyConfiguration_KeepsRulesLoadedAtRunTime_AfterTheConfiguredOnes()
    {
        Configure(Configured("a", [1], "return true"));
        Load(Loaded("runtime", [1], "return false"));

        IReadOnlyList<RuleDefinition> displaced = Configure(Configured("b", [1], "return true"));

        Assert.Empty(displaced);
        Assert.Equal(["b", "runtime"], Names(1));
        Assert.Equal(RuleOrigin.Control, _rules.Find("runtime")!.Origin);
        Assert.Null(_rules.Find("a"));
    }

    [Fact]
    public void ApplyConfiguration_ThatDefinesTheNameOfALoadedRule_ReplacesIt_AndSaysSo()
    {
        Load(Loaded("x", [1, 2], "return false"));

        IReadOnlyList<RuleDefinition> displaced = Configure(Configured("x", [1], "return true"));

        Assert.Equal("x", Assert.Single(displaced).Name);
        Assert.Equal(["x"], Names(1));
        Assert.Empty(Names(2));
        Assert.Equal(RuleOrigin.Configuration, _rules.Find("x")!.Origin);
        Assert.Equal(DecisionKind.Accept, _rules.For(1).Acquire().Evaluate([1]).Kind);
    }

    [Fact]
    public void ARuleOnARangeOfQueues_IsOneRule_UnloadedFromAllOfThemAtOnce()
    {
        Configure(Configured("x", [0, 1, 2, 3], "return false"), Configured("y", [2], "return true"));

        Assert.All(new ushort[] { 0, 1, 2, 3 }, q => Assert.Equal("x", Names(q)[0]));
        Assert.Equal([0, 1, 2, 3], _rules.Find("x")!.SortedQueues);
        Assert.Equal(new HashSet<ushort> { 0, 1, 2, 3 }, _rules.QueuesInUse);

        RuleDefinition removed = _rules.Unload("x")!;

        Assert.Equal([0, 1, 2, 3], removed.SortedQueues);
        Assert.All(new ushort[] { 0, 1, 3 }, q => Assert.Empty(Names(q)));
        Assert.Equal(["y"], Names(2));
        Assert.Null(_rules.Unload("x")); // a second unload finds nothing
        Assert.Equal(new HashSet<ushort> { 2 }, _rules.QueuesInUse);
    }

    [Fact]
    public void LoadingARangesRuleOntoOneQueue_MovesTheWholeRule_AndSaysFromWhere()
    {
        Configure(Configured("x", [0, 1, 2, 3], "return false"));

        RuleChange change = Load(Loaded("x", [1], "return true"));

        Assert.Equal([0, 2, 3], change.LeftQueues);
        Assert.Equal(["x"], Names(1));
        Assert.All(new ushort[] { 0, 2, 3 }, q => Assert.Empty(Names(q)));
        Assert.Equal(DecisionKind.Accept, _rules.For(1).Acquire().Evaluate([1]).Kind);
        Assert.Equal(RuleOrigin.Control, _rules.Find("x")!.Origin);
    }

    [Fact]
    public void RuleProgress_NamesTheRuleAWorkerIsIn_AndCountsEveryCall()
    {
        Configure(Configured("first", [5], "return true"), Configured("second", [5], "return true"));
        var progress = new RuleProgress();
        RuleSet set = _rules.For(5).Acquire();
        progress.Use(set);
        long before = progress.Steps;

        set.Evaluate([1], 0, progress);

        Assert.Equal(before + 2, progress.Steps); // one step per rule entered
        Assert.Null(progress.CurrentRule); // out of the rules again
    }

    private IReadOnlyList<RuleDefinition> Configure(params RuleDefinition[] definitions)
    {
        using CompiledRules compiled = _rules.Compile(definitions);
        Assert.Empty(compiled.Errors);
        return _rules.ApplyConfiguration(compiled);
    }

    private RuleChange Load(RuleDefinition definition)
    {
        using CompiledRules compiled = _rules.Compile([definition]);
        Assert.Empty(compiled.Errors);
        return _rules.Load(compiled);
    }

    private List<string> Names(ushort queue) => [.. _rules.For(queue).Published.Rules.Select(r => r.Name)];

    private static RuleDefinition Configured(string name, ushort[] queues, string body) => Definition(name, queues, body, RuleOrigin.Configuration);

    private static RuleDefinition Loaded(string name, ushort[] queues, string body) => Definition(name, queues, body, RuleOrigin.Control);

    private static RuleDefinition Definition(string name, ushort[] queues, string body, RuleOrigin origin) =>
        new(name, queues, Encoding.UTF8.GetBytes($"function filter(pkt)\n{body}\nend\n"), name + ".lua", Rules.Relaxed, origin);
}
