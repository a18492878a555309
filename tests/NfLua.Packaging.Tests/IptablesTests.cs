using NfLua.Testing;

namespace NfLua.Packaging.Tests;

/// <summary>Every rule set of packaging/iptables applies and is removed cleanly by nflua-iptables, inside a
/// private network namespace (root, as CI runs), leaving iptables-save as it was, foreign rules included.</summary>
public sealed class IptablesTests
{
    private static string Directory => Path.Combine(Tools.Packaging, "iptables");

    private static string Helper => Path.Combine(Directory, "nflua-iptables");

    // Runs inside `unshare --net`: $1 helper, $2 rule file, $3 "-6" or "".
    private const string Script = """
        set -euo pipefail
        helper=$1 file=$2 family=${3:-}
        if [ "$family" = -6 ]; then ipt=ip6tables; else ipt=iptables; fi
        ip link set lo up
        # Rules that are not ours, in both tables: they must survive untouched.
        $ipt -w -A OUTPUT -p udp --dport 9 -m comment --comment foreign -j ACCEPT
        $ipt -w -t mangle -A INPUT -p udp --dport 9 -m comment --comment foreign -j ACCEPT
        snap() { $ipt-save | grep -v '^#' | sed 's/ \[[0-9]*:[0-9]*\]$//'; }
        before=$(snap)
        out=$("$helper" $family install "$file")
        expected_words=$(grep -c '^-A ' "$file")
        if [ "$expected_words" -eq 1 ]; then words="1 rule"; else words="$expected_words rules"; fi
        [ "$out" = "$file: installed $words" ] || { echo "FAIL: install said '$out'"; exit 1; }
        installed=$(snap)
        added=$(diff <(echo "$before") <(echo "$installed") | grep -c '^> -A ' || true)
        expected=$(grep -c '^-A ' "$file")
        [ "$added" -eq "$expected" ] || { echo "FAIL: $added rules added, the file has $expected"; diff <(echo "$before") <(echo "$installed"); exit 1; }
        [ "$(diff <(echo "$before") <(echo "$installed") | grep -c '^< ' || true)" -eq 0 ] || { echo "FAIL: install removed something"; exit 1; }
        "$helper" $family install "$file"
        [ "$(snap)" = "$installed" ] || { echo "FAIL: a second install changed the rules"; diff <(echo "$installed") <(snap); exit 1; }
        "$helper" $family status "$file"
        # Partly installed (its first rule deleted by hand): install restores the file, in order.
        table=$(awk '/^\*/ { t = substr($0, 2) } /^-A / { print t; exit }' "$file")
        first=$(grep -m1 '^-A ' "$file")
        $ipt -w -t "$table" -D ${first#-A }
        if "$helper" $family status "$file" >/dev/null; then echo "FAIL: status says installed with a rule missing"; exit 1; fi
        "$helper" $family install "$file"
        [ "$(snap)" = "$installed" ] || { echo "FAIL: install after a partial removal differs"; diff <(echo "$installed") <(snap); exit 1; }
        "$helper" $family remove "$file"
        "$helper" $family remove "$file"
        after=$(snap)
        [ "$after" = "$before" ] || { echo "FAIL: rules left behind"; diff <(echo "$before") <(echo "$after"); exit 1; }
        if "$helper" $family status "$file" >/dev/null; then echo "FAIL: status says installed after remove"; exit 1; fi
        echo "OK $file $family"
        """;

    public static TheoryData<string, string> RuleFiles()
    {
        var data = new TheoryData<string, string>();
        foreach (string file in System.IO.Directory.EnumerateFiles(Path.Combine(Tools.FindPackagingForData(), "iptables"), "*.rules").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file), "-4");
            data.Add(Path.GetFileName(file), "-6");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RuleFiles))]
    public void Rule_file_installs_and_removes_cleanly_in_a_network_namespace(string file, string family)
    {
        Assert.True(Tools.IsRoot(), "the iptables tests need root (CI runs as root)");
        Tools.EnsureCommand("iptables-restore", "iptables");
        Tools.EnsureCommand("unshare", "util-linux");
        var result = Tools.Run("unshare", "--net", "--", "bash", "-c", Script, "nflua-iptables-test",
            Helper, Path.Combine(Directory, file), family == "-6" ? "-6" : "");
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.StdOut}\n{result.StdErr}");
        Assert.Contains("OK ", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_variant_of_issue_7_has_a_rule_file()
    {
        string[] texts = System.IO.Directory.EnumerateFiles(Directory, "*.rules").Select(File.ReadAllText).ToArray();
        string[] rules = texts.SelectMany(t => t.Split('\n')).Where(l => l.StartsWith("-A ", StringComparison.Ordinal)).ToArray();
        Assert.Contains(rules, r => r.Contains("--queue-num", StringComparison.Ordinal) && !r.Contains("--queue-bypass", StringComparison.Ordinal)); // fail-closed
        Assert.Contains(rules, r => r.Contains("--queue-num", StringComparison.Ordinal) && r.Contains("--queue-bypass", StringComparison.Ordinal));  // fail-open
        Assert.Contains(rules, r => r.Contains("--queue-balance", StringComparison.Ordinal));
        Assert.Contains(rules, r => r.Contains("CONNMARK --save-mark", StringComparison.Ordinal));
        Assert.Contains(rules, r => r.Contains("-m connmark --mark", StringComparison.Ordinal) && r.EndsWith("-j ACCEPT", StringComparison.Ordinal));
        Assert.Contains(rules, r => r.Contains("-m connbytes --connbytes 0:4 --connbytes-dir both --connbytes-mode packets", StringComparison.Ordinal)
            && r.Contains("-j NFQUEUE", StringComparison.Ordinal));
        string readme = File.ReadAllText(Path.Combine(Tools.Packaging, "README.md"));
        Assert.Contains("nft_queue", readme, StringComparison.Ordinal);
        Assert.Contains("queue flags bypass", readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Helper_refuses_bad_input_and_changes_nothing()
    {
        string dir = Tools.TempDirectory();
        try
        {
            string bad = Path.Combine(dir, "bad.rules");
            File.WriteAllText(bad, "*filter\n-A OUTPUT -j ACCEPT $(touch " + Path.Combine(dir, "owned") + ")\nCOMMIT\n");
            var result = Tools.Run(Helper, "install", bad);
            Assert.Equal(2, result.ExitCode);
            Assert.False(File.Exists(Path.Combine(dir, "owned")));
            File.WriteAllText(bad, "*filter\n:MYCHAIN - [0:0]\n-A OUTPUT -j ACCEPT\nCOMMIT\n");
            Assert.Equal(2, Tools.Run(Helper, "install", bad).ExitCode);
            File.WriteAllText(bad, "*filter\n-A OUTPUT -j ACCEPT\n");
            Assert.Equal(2, Tools.Run(Helper, "install", bad).ExitCode);
            Assert.Equal(2, Tools.Run(Helper, "frobnicate", bad).ExitCode);
            Assert.Equal(2, Tools.Run(Helper, "install", Path.Combine(dir, "missing.rules")).ExitCode);
        }
        finally
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Helper_help_shows_the_synopsis_of_its_man_page_and_the_exit_codes()
    {
        ProcessResult help = Tools.MustRun(Helper, "--help");

        IReadOnlyList<string> synopsis = DocumentBlocks.HelpSynopsis(help.StdOut);
        Assert.Equal(
            ["nflua-iptables [-6] install FILE", "nflua-iptables [-6] remove FILE", "nflua-iptables [-6] status FILE", "nflua-iptables list"],
            synopsis);
        Assert.Equal(synopsis, DocumentBlocks.ManSection(Path.Combine(Tools.Packaging, "man", "nflua-iptables.8"), "SYNOPSIS"));
        Assert.Contains("Exit codes:", help.StdOut, StringComparison.Ordinal);
        Assert.Equal(help.StdOut, Tools.MustRun(Helper, "-h").StdOut);
    }

    [Fact]
    public void Man_page_examples_run_in_a_network_namespace()
    {
        Assert.True(Tools.IsRoot(), "the iptables tests need root (CI runs as root)");
        IReadOnlyList<string> examples = DocumentBlocks.ManSection(Path.Combine(Tools.Packaging, "man", "nflua-iptables.8"), "EXAMPLES");
        Assert.Contains("nflua-iptables list", examples);

        string script = "set -euo pipefail\nip link set lo up\n" + string.Join('\n', examples.Select(l => $"echo '+ {l}'\n{l}"));
        var result = ProcessRunner.Run("unshare", ["--net", "--", "bash", "-c", script],
            new Dictionary<string, string> { ["PATH"] = Directory + ":" + Environment.GetEnvironmentVariable("PATH") });

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.StdOut}\n{result.StdErr}");
        Assert.Contains("one-queue-fail-open.rules: installed 1 rule\n", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("\ninstalled\n", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("one-queue-fail-open.rules: removed", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Helper_lists_the_shipped_rule_sets_with_their_summaries()
    {
        ProcessResult list = Tools.MustRun(Helper, "list");

        string[] files = [.. System.IO.Directory.EnumerateFiles(Directory, "*.rules").Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        string[] lines = list.StdOut.TrimEnd().Split('\n');
        Assert.Equal($"Rule sets in {Directory} (nflua-iptables install NAME):", lines[0]);
        Assert.Equal(files, lines.Skip(1).Select(l => l.Trim().Split(' ')[0]));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^  one-queue-fail-open\.rules +One queue, fail-open$"));
        Assert.All(lines.Skip(1), l => Assert.Matches(@"^  \S+\.rules +\S.*$", l));
    }

    [Fact]
    public void Helper_names_where_it_looked_for_a_missing_rule_set_and_usage_errors_point_to_help()
    {
        string dir = Tools.TempDirectory();
        try
        {
            ProcessResult missing = ProcessRunner.Run("bash", ["-c", $"cd '{dir}' && '{Helper}' install one-queue-fial-open.rules"]);
            Assert.Equal(2, missing.ExitCode);
            Assert.Equal($"nflua-iptables: cannot read one-queue-fial-open.rules (looked in {dir} and {Directory}; nflua-iptables list names the rule sets)", missing.StdErr.Trim());

            ProcessResult unknown = Tools.Run(Helper, "instal", "x.rules");
            Assert.Equal(2, unknown.ExitCode);
            Assert.Equal("nflua-iptables: unknown command 'instal'\nRun 'nflua-iptables --help' for usage.", unknown.StdErr.Trim());
        }
        finally
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
    }
}
