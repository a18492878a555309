using NfLua.Cli.Completion;
using NfLua.Control;
using NfLua.Testing;

namespace NfLua.Cli.Tests;

/// <summary>The bash completion written from the command tree, run in bash as the shell runs it: a word list in
/// COMP_WORDS, the function called, COMPREPLY read back.</summary>
public sealed class CompletionTests
{
    // The nflua-ctl built beside these tests: the completion runs it (COMP_WORDS[0]) to ask the daemon.
    private static readonly string s_program = Path.Combine(AppContext.BaseDirectory, "nflua-ctl");

    [Theory]
    [InlineData("lo", "load")]
    [InlineData("st", "stats status")]
    [InlineData("", "load unload enforce monitor list stats status reload set top events test --version --socket --timeout --help")]
    [InlineData("--t", "--timeout")]
    public void FirstWord_CompletesCommandsAndGlobalOptions(string typed, string expected)
    {
        Assert.Equal(Sorted(expected), Complete(null, typed));
    }

    [Fact]
    public void HiddenCommand_IsNotOffered()
    {
        Assert.Equal("", Complete(null, "com"));
        Assert.DoesNotContain("completion-script", Script(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("test --max", "--max-instructions --max-memory --max-call-time")]
    [InlineData("load --on-error ", "accept drop")]
    [InlineData("test x.lua y.pcap --on-error d", "drop")]
    [InlineData("list --", "--json --socket --timeout --help")]
    [InlineData("load --max-memory ", "")]
    [InlineData("set ", "list show add del load")]
    [InlineData("set s", "show")]
    [InlineData("set show x --", "--limit --json --socket --timeout --help")]
    [InlineData("load x y.lua --par", "--param --params")]
    public void Options_AndTheWordsTheyAccept(string line, string expected)
    {
        Assert.Equal(Sorted(expected), Complete(null, line));
    }

    [Fact]
    public void ScriptsAndCaptures_CompleteAsFiles()
    {
        using var directory = new TempDirectory();
        directory.WriteFile("first.lua", "");
        directory.WriteFile("udp.pcap", "");

        Assert.Equal(directory.File("first.lua"), Complete(null, $"test {directory.File("fi")}"));
        Assert.Equal(directory.File("udp.pcap"), Complete(null, $"test first.lua {directory.File("u")}"));
        Assert.Equal(directory.File("first.lua"), Complete(null, $"load web {directory.File("f")}"));
        Assert.Equal(directory.File("udp.pcap"), Complete(null, $"set load nets {directory.File("u")}"));
    }

    [Fact]
    public async Task RuleNamesAndQueues_ComeFromTheDaemon()
    {
        await using var daemon = new FakeDaemon(command => command switch
        {
            ListRequest => FakeDaemon.Ok(SampleResults.List),
            StatusRequest => FakeDaemon.Ok(SampleResults.Status),
            SetListRequest => FakeDaemon.Ok(new SetListResult([new SetInfo("bad-nets", "cidr", 1, 8, 65536, "/x", "file")])),
            _ => FakeDaemon.Fail(ControlErrorName.Unsupported, "unexpected"),
        });

        Assert.Equal("late-rule rtp-h263 ssh-banner", Complete(null, $"--socket {daemon.SocketPath} unload "));
        Assert.Equal("rtp-h263", Complete(null, $"--socket {daemon.SocketPath} unload r"));
        Assert.Equal("0 7", Complete(null, $"--socket {daemon.SocketPath} load web rule.lua --queue "));
        Assert.Equal("7", Complete(new Dictionary<string, string> { [ControlSocketPath.EnvironmentVariable] = daemon.SocketPath }, "load web rule.lua -q 7"));
        Assert.Equal("bad-nets", Complete(null, $"--socket {daemon.SocketPath} set show "));
    }

    [Fact]
    public void NoDaemon_CompletesNothingAndPrintsNothing()
    {
        using var directory = new TempDirectory();

        ProcessResult result = Bash(null, $"--socket {directory.File("absent.sock")} unload ");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.StdOut.Trim());
        Assert.Equal("", result.StdErr);
    }

    private static string Sorted(string words) => string.Join(' ', words.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));

    private static string Script() => BashCompletion.Script(Cli.CreateRoot(new CliEnvironment(TextWriter.Null, TextWriter.Null, _ => null)));

    /// <summary>The candidates bash offers after <paramref name="line"/> (the words after the program, the last one being
    /// completed; a trailing space starts a new word), sorted and joined by spaces.</summary>
    private static string Complete(IDictionary<string, string>? environment, string line)
    {
        ProcessResult result = Bash(environment, line);
        Assert.True(result.ExitCode == 0, result.StdErr);
        return string.Join(' ', result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }

    private static ProcessResult Bash(IDictionary<string, string>? environment, string line)
    {
        using var directory = new TempDirectory();
        string script = directory.WriteFile("nflua-ctl.bash", Script());
        string[] words = [s_program, .. line.Split(' ')];
        const string Driver = """
            set -u
            source "$1"; shift
            COMP_WORDS=("$@")
            COMP_CWORD=$(($# - 1))
            _nflua_ctl
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        // No daemon unless the test names one: never the machine's own /run/nflua/nflua.sock.
        var env = new Dictionary<string, string> { [ControlSocketPath.EnvironmentVariable] = directory.File("none.sock") };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        return ProcessRunner.Run("bash", ["-c", Driver, "completion-test", script, .. words], env, timeoutMs: 30_000);
    }
}
