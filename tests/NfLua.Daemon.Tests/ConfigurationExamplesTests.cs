using System.Text.RegularExpressions;
using NfLua.Testing;
using NfLua.Daemon.Configuration;
using NfLua.Engine;

namespace NfLua.Daemon.Tests;

/// <summary>
/// Every configuration example the repository shows an operator (README, docs/, packaging/: fenced Lua blocks, inline
/// snippets, the packaged nfluad.lua with its commented-out examples, the iptables rule sets' headers) is loaded and its
/// rules compiled, as <c>nfluad --check-config</c> would: an example that does not work fails here.
/// </summary>
public sealed partial class ConfigurationExamplesTests : IDisposable
{
    // Inline syntax hints with placeholders, not examples: listed so that a new inline example cannot escape the test.
    private static readonly string[] s_placeholders =
        ["queue { N }", "queue { cpu = N }", "logging { level = \"...\" }", "queue { }", "queue { first = 0, last = 3, rule { \"x\", ... } }",
         "set { NAME, kind, file }", "module { NAME, file }"];

    private readonly string _dir = Directory.CreateTempSubdirectory("nflua-examples-").FullName;

    public static TheoryData<string, string> Examples() => [.. Found()];

    private static List<(string Where, string Example)> Found()
    {
        var data = new List<(string, string)>();
        foreach (string file in Documents())
        {
            string text = File.ReadAllText(file);
            int n = 0;
            foreach (Match block in FencedLua().Matches(text).Where(m => IsConfiguration(m.Groups["code"].Value)))
            {
                data.Add(($"{Relative(file)} block {++n}", block.Groups["code"].Value));
            }

            foreach (Match inline in InlineConfiguration().Matches(text).Where(m => !s_placeholders.Contains(m.Groups["code"].Value)))
            {
                data.Add(($"{Relative(file)}: `{inline.Groups["code"].Value}`", inline.Groups["code"].Value));
            }
        }

        string packaged = Path.Combine(RepositoryRoot.Path, "packaging", "debian", "nfluad.lua");
        data.Add(("packaging/debian/nfluad.lua", File.ReadAllText(packaged)));
        data.Add(("packaging/debian/nfluad.lua, its commented-out examples", Uncommented(File.ReadAllLines(packaged))));
        foreach (string rules in Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "packaging", "iptables"), "*.rules"))
        {
            foreach (Match header in RulesHeader().Matches(File.ReadAllText(rules)))
            {
                data.Add(($"{Relative(rules)} header", header.Groups["code"].Value));
            }
        }

        return data;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [MemberData(nameof(Examples))]
    public void TheExample_Loads_AndItsRulesCompile(string where, string example)
    {
        string path = Path.Combine(_dir, "nfluad.lua");
        File.WriteAllText(path, WithRealScripts(example));

        ConfigResult result = ConfigLoader.LoadFile(path);
        Assert.True(result.Config is not null, $"{where}:\n{example}\n{string.Join("\n", result.Errors)}");
        var errors = new List<string>();
        using CompiledRules? compiled = ConfiguredRules.Compile(result.Config, new RuleRegistry(), errors);
        Assert.True(errors.Count == 0, $"{where}:\n{example}\n{string.Join("\n", errors)}");
    }

    [Fact]
    public void TheExamplesAreFound()
    {
        // The extraction itself: the documents' known examples are among those run.
        List<string> where = [.. Found().Select(e => e.Where)];
        Assert.Contains("README.md block 1", where);
        Assert.Contains(where, w => w.StartsWith("README.md: `set { \"bad-nets\", kind = \"cidr\"", StringComparison.Ordinal));
        Assert.Contains("README.md: `module { \"dns\", file = \"lib/dns.lua\" }`", where);
        Assert.Contains("docs/operations.md block 1", where);
        Assert.Contains("examples/README.md block 1", where);
        Assert.Contains(where, w => w.StartsWith("docs/operations.md: `queue { first = 0, last = 3, cpu", StringComparison.Ordinal));
        Assert.Contains("packaging/debian/nfluad.lua, its commented-out examples", where);
        Assert.Contains("packaging/iptables/multi-queue.rules header", where);
        Assert.Contains("queue {", Uncommented(File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "packaging", "debian", "nfluad.lua"))), StringComparison.Ordinal);
    }

    /// <summary>
    /// Rule scripts as the examples name them (rules/NAME.lua next to the file, /usr/share/nflua/examples/NAME.lua as
    /// installed, or "..." in the rule sets' headers) are the repository's examples/NAME.lua.
    /// </summary>
    private string WithRealScripts(string example)
    {
        string withPaths = ScriptPlaceholder().Replace(example, m => $"rule {{ \"{m.Groups["name"].Value}\", script = \"rules/{m.Groups["name"].Value}.lua\"");
        withPaths = withPaths.Replace("/usr/share/nflua/examples/", "rules/", StringComparison.Ordinal);
        Directory.CreateDirectory(Path.Combine(_dir, "rules"));
        foreach (string script in Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "examples"), "*.lua"))
        {
            File.Copy(script, Path.Combine(_dir, "rules", Path.GetFileName(script)), overwrite: true);
        }

        // The files sets and modules name: a valid entry of the set's kind, a module that returns a table.
        foreach (Match set in SetFile().Matches(withPaths))
        {
            string entry = set.Groups["kind"].Value switch { "cidr" => "10.0.0.0/8", "domain" => "example.com", _ => "x" };
            WriteBeside(set.Groups["file"].Value, $"# {set.Groups["name"].Value}\n{entry}\n");
        }

        foreach (Match module in ModuleFile().Matches(withPaths))
        {
            WriteBeside(module.Groups["file"].Value, "return {}\n");
        }

        return withPaths;
    }

    private void WriteBeside(string relative, string text)
    {
        string path = Path.GetFullPath(Path.Combine(_dir, relative));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>The commented-out configuration calls of a file, uncommented, each whole up to its closing brace.</summary>
    private static string Uncommented(string[] lines)
    {
        var code = new List<string>();
        int depth = 0;
        foreach (string line in lines)
        {
            string body = line.StartsWith("-- ", StringComparison.Ordinal) ? line[3..] : "";
            if (depth == 0 && !IsConfiguration(body))
            {
                continue;
            }

            code.Add(body);
            depth += body.Count(c => c == '{') - body.Count(c => c == '}');
        }

        return string.Join("\n", code);
    }

    private static bool IsConfiguration(string code) =>
        ConfigurationCall().IsMatch(code) && !code.Contains("function filter", StringComparison.Ordinal);

    private static IEnumerable<string> Documents() =>
        [Path.Combine(RepositoryRoot.Path, "README.md"), .. Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "docs"), "*.md"),
         Path.Combine(RepositoryRoot.Path, "packaging", "README.md"), Path.Combine(RepositoryRoot.Path, "examples", "README.md")];

    private static string Relative(string path) => Path.GetRelativePath(RepositoryRoot.Path, path);

    [GeneratedRegex(@"```lua\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex FencedLua();

    [GeneratedRegex(@"`(?<code>(queue|control|defaults|logging|watchdog|set|module|events) \{[^`]*\})`")]
    private static partial Regex InlineConfiguration();

    [GeneratedRegex(@"^# nfluad\.lua: (?<code>.*)$", RegexOptions.Multiline)]
    private static partial Regex RulesHeader();

    [GeneratedRegex(@"^(queue|control|defaults|logging|watchdog|set|module|events) \{", RegexOptions.Multiline)]
    private static partial Regex ConfigurationCall();

    [GeneratedRegex(@"rule \{ ""(?<name>[^""]+)"", script = ""\.\.\.""")]
    private static partial Regex ScriptPlaceholder();

    [GeneratedRegex(@"set \{ ""(?<name>[^""]+)"", kind = ""(?<kind>[a-z]+)"", file =\s*""(?<file>[^""]+)""")]
    private static partial Regex SetFile();

    [GeneratedRegex(@"module \{ ""(?<name>[^""]+)"", file =\s*""(?<file>[^""]+)""")]
    private static partial Regex ModuleFile();
}
