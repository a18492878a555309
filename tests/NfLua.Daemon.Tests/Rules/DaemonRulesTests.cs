using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using NfLua.Daemon.Configuration;
using NfLua.Daemon.Rules;
using NfLua.Engine;
using NfLua.Scripting;

namespace NfLua.Daemon.Tests.Rules;

/// <summary>Rule changes are all-or-nothing: a bad configuration or script leaves the running rules as they were.</summary>
public sealed class DaemonRulesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nflua-rules-").FullName;
    private readonly DaemonRules _rules = new(NullLoggerFactory.Instance);

    public void Dispose()
    {
        _rules.Clear();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void ApplyConfiguration_CompilesEveryQueuesRulesInOrder()
    {
        Assert.Empty(_rules.ApplyConfiguration(Config("""
            queue { 1, rule { "a", script = "pass.lua" }, rule { "b", script = "drop.lua" } }
            queue { 2, rule { "c", script = "drop.lua" } }
            """)));

        Assert.Equal(["a", "b"], Names(1));
        Assert.Equal(["c"], Names(2));
        Assert.Equal(DecisionKind.Drop, _rules.For(1).Acquire().Evaluate([1]).Kind);
    }

    [Fact]
    public void ApplyConfiguration_WithBadScripts_ReportsAllAndChangesNothing()
    {
        Assert.Empty(_rules.ApplyConfiguration(Config("queue { 1, rule { \"a\", script = \"pass.lua\" } }")));

        IReadOnlyList<string> errors = _rules.ApplyConfiguration(Config("""
            queue { 1,
              rule { "a", script = "drop.lua" },
              rule { "broken", script = "broken.lua" },
              rule { "missing", script = "missing.lua" },
            }
            """));

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("broken.lua:3: unexpected symbol", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(":4: rule 'missing': cannot read", StringComparison.Ordinal));
        Assert.Equal(["a"], Names(1));
        Assert.Equal(DecisionKind.Accept, _rules.For(1).Acquire().Evaluate([1]).Kind);
    }

    [Fact]
    public void Load_ReplacesAtomicallyAndUnloadRemoves()
    {
        Assert.Empty(_rules.Load(Source("x", 3, "return true")));
        Assert.Empty(_rules.Load(Source("y", 3, "return 'queue', 7")));
        Assert.Empty(_rules.Load(Source("x", 3, "return false")));
        Assert.Equal(["x", "y"], Names(3));
        Assert.Equal(DecisionKind.Drop, _rules.For(3).Acquire().Evaluate([1]).Kind);

        Assert.True(_rules.Unload("x"));
        Assert.False(_rules.Unload("x"));
        Assert.Equal(DecisionKind.Queue, _rules.For(3).Acquire().Evaluate([1]).Kind);
    }

    [Fact]
    public void Load_ABadScript_KeepsTheOldRule()
    {
        Assert.Empty(_rules.Load(Source("x", 3, "return false")));
        IReadOnlyList<string> errors = _rules.Load(Source("x", 3, "return ("));
        Assert.Contains("x.lua:3:", Assert.Single(errors), StringComparison.Ordinal);
        Assert.Equal(DecisionKind.Drop, _rules.For(3).Acquire().Evaluate([1]).Kind);
    }

    [Fact]
    public void ApplyConfiguration_KeepsRulesLoadedAtRunTime()
    {
        Assert.Empty(_rules.ApplyConfiguration(Config("queue { 1, rule { \"a\", script = \"pass.lua\" } }")));
        Assert.Empty(_rules.Load(Source("runtime", 1, "return false")));
        Assert.Empty(_rules.ApplyConfiguration(Config("queue { 1, rule { \"b\", script = \"pass.lua\" } }")));
        Assert.Equal(["b", "runtime"], Names(1));
    }

    private List<string> Names(ushort queue) => _rules.For(queue).Published.Rules.Select(r => r.Name).ToList();

    private static RuleSource Source(string name, ushort queue, string body) =>
        new(name, queue, Encoding.UTF8.GetBytes($"function filter(pkt)\n{body}\nend\n"), name + ".lua", new RuleLimits(), FromConfiguration: false);

    private DaemonConfig Config(string text)
    {
        File.WriteAllText(Path.Combine(_dir, "pass.lua"), "function filter(pkt) return true end");
        File.WriteAllText(Path.Combine(_dir, "drop.lua"), "function filter(pkt) return false end");
        File.WriteAllText(Path.Combine(_dir, "broken.lua"), "function filter(pkt)\n  return (\nend");
        ConfigResult result = ConfigLoader.Load(text, Path.Combine(_dir, "nfluad.lua"));
        Assert.Empty(result.Errors);
        return result.Config!;
    }
}
