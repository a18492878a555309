using System.Text.RegularExpressions;
using NfLua.Testing;

namespace NfLua.Packaging.Tests;

/// <summary>
/// The README's quick start, its "Without systemd" commands and the package README's first steps, run as written
/// against the installed package (<see cref="DocumentedSession"/>). Part of <see cref="DebPackageTests"/>, to share
/// its one package build and installation.
/// </summary>
public sealed partial class DebPackageTests
{
    private static string Readme => Path.Combine(Tools.Repo, "README.md");

    [Fact]
    public void Readme_quick_start_runs_as_written()
    {
        Assert.True(deb.Installed, "dpkg -i failed:\n" + deb.InstallOutput);
        string[] commands = [.. DocumentBlocks.IndentedBlocks(Readme, "## Quick start").SelectMany(b => b)];
        Assert.Equal("apt-get install ./dist/nflua_*_amd64.deb", commands[0]);
        Assert.Contains(commands, c => c.StartsWith("adduser alice nflua ", StringComparison.Ordinal));
        Assert.Contains(DocumentedSession.Systemctl, commands);
        // fail-closed on both sides, as operations.md asks ("use both or neither"): no --queue-bypass with load's queue
        Assert.DoesNotContain(commands, c => c.Contains("--queue-bypass", StringComparison.Ordinal));

        string work = Tools.TempDirectory();
        try
        {
            File.CreateSymbolicLink(Path.Combine(work, "dist"), Path.Combine(Tools.Repo, "dist"));
            File.WriteAllText(Path.Combine(work, "first.lua"), FirstRule());
            string[] checks =
            [
                "setpriv --reuid alice --regid \"$(id -g alice)\" --init-groups nflua-ctl status >/dev/null && echo 'alice may use nflua-ctl'",
                "nflua-ctl status --json",
            ];

            ProcessResult run = DocumentedSession.Run(work, [.. commands, .. checks]);

            string why = $"exit {run.ExitCode}\n{run.StdOut}\n{run.StdErr}";
            Assert.True(run.ExitCode == 0, why);
            Assert.Contains("2 records, 2 filtered: 1 pass, 1 drop;", Output(run, commands, "nflua-ctl test first.lua udp.pcap"), StringComparison.Ordinal);
            // QUEUE RULE CALLS PASSED DROPPED ERRORS LIMIT-HITS: what the README's comment says.
            Assert.Matches(@"(?m)^\s*0\s+first\s+2\s+1\s+1\s+0\s+0\s", Output(run, commands, "nflua-ctl stats"));
            Assert.Contains("alice may use nflua-ctl", DocumentedSession.OutputOf(run, commands.Length), StringComparison.Ordinal);
            Assert.Contains($"\"version\": \"{Tools.Version}\"", DocumentedSession.OutputOf(run, commands.Length + 1), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public void Readme_without_systemd_commands_run_as_root_and_as_the_unit()
    {
        Assert.True(deb.Installed, "dpkg -i failed:\n" + deb.InstallOutput);
        IReadOnlyList<IReadOnlyList<string>> blocks = DocumentBlocks.IndentedBlocks(Readme, "### Without systemd");
        string asRoot = DocumentedSession.WithoutComment(Assert.Single(blocks[0]));
        IReadOnlyList<string> asTheUnit = blocks[1];
        string refusal = Assert.Single(blocks[2]);
        Assert.Equal("nfluad", asRoot);

        // Started as the unit would be, but with no socket directory prepared: the README's one line.
        string script = $"""
            {DocumentedSession.WithoutComment(asTheUnit[^1])} 2>refused.log && exit 9 || echo "refused: $?"
            cat refused.log
            {asRoot} 2>root.log &
            pid=$!
            for _ in $(seq 150); do [ -S /run/nflua/nflua.sock ] && break; sleep 0.1; done
            nflua-ctl status >/dev/null && echo 'root: status answered'
            stat -c 'root: socket %a %G' /run/nflua/nflua.sock
            kill -TERM $pid; wait $pid && echo 'root: stopped with 0'
            """;
        string work = Tools.TempDirectory();
        try
        {
            ProcessResult run = DocumentedSession.Run(work, [script, DocumentedSession.Systemctl, "nflua-ctl status >/dev/null && echo 'unit: status answered'", "ps -o user= -p \"$(cat nfluad.pid)\""]);

            string why = $"exit {run.ExitCode}\n{run.StdOut}\n{run.StdErr}";
            Assert.True(run.ExitCode == 0, why);
            string first = DocumentedSession.OutputOf(run, 0);
            Assert.Contains("refused: 1\n" + refusal + "\n", first, StringComparison.Ordinal);
            Assert.Contains("root: status answered", first, StringComparison.Ordinal);
            Assert.Contains("root: socket 660 nflua", first, StringComparison.Ordinal);
            Assert.Contains("root: stopped with 0", first, StringComparison.Ordinal);
            Assert.Contains("unit: status answered", DocumentedSession.OutputOf(run, 2), StringComparison.Ordinal);
            Assert.Equal("nflua", DocumentedSession.OutputOf(run, 3).Trim());
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        // nfluad(8) shows the same commands.
        IReadOnlyList<string> manPage = DocumentBlocks.ManSection(Path.Combine(Tools.Packaging, "man", "nfluad.8"), "DESCRIPTION");
        int install = manPage.ToList().FindIndex(l => l.StartsWith("install -d", StringComparison.Ordinal));
        Assert.True(install >= 0, string.Join('\n', manPage));
        Assert.Equal(asTheUnit, [manPage[install], manPage[install + 1].TrimEnd('\\').TrimEnd() + " " + manPage[install + 2]]);
    }

    [Fact]
    public void Package_readme_first_steps_run_as_written()
    {
        Assert.True(deb.Installed, "dpkg -i failed:\n" + deb.InstallOutput);
        string installed = File.ReadAllText("/usr/share/doc/nflua/README.md");
        Assert.Equal(File.ReadAllText(Path.Combine(Tools.Packaging, "doc", "README.md")), installed);
        Assert.DoesNotContain("scripts/", installed, StringComparison.Ordinal);
        string[] commands = [.. DocumentBlocks.IndentedBlocks(Path.Combine(Tools.Packaging, "doc", "README.md"), "## First steps").SelectMany(b => b)];

        string work = Tools.TempDirectory();
        try
        {
            ProcessResult run = DocumentedSession.Run(work, commands);

            string why = $"exit {run.ExitCode}\n{run.StdOut}\n{run.StdErr}";
            Assert.True(run.ExitCode == 0, why);
            Assert.Matches(@"\d+ drop", Output(run, commands, "nflua-ctl test /usr/share/nflua/examples/ssh-banner.lua"));
            Assert.Contains("installed 1 rule", Output(run, commands, "nflua-iptables install"), StringComparison.Ordinal);
            Assert.Contains("ssh-banner", Output(run, commands, "nflua-ctl list"), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The README's first.lua, from its fenced block.</summary>
    private static string FirstRule()
    {
        Match block = Regex.Match(File.ReadAllText(Readme), @"```lua\n(-- first\.lua\n.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, "the README has no first.lua block");
        return block.Groups[1].Value;
    }

    private static string Output(ProcessResult run, string[] commands, string prefix) =>
        DocumentedSession.OutputOf(run, Array.FindIndex(commands, c => c.StartsWith(prefix, StringComparison.Ordinal)));
}
