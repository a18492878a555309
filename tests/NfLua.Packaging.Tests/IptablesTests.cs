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
        "$helper" $family install "$file"
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
}
