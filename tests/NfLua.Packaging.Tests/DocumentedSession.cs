using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NfLua.Testing;

namespace NfLua.Packaging.Tests;

/// <summary>
/// Runs the shell commands a document shows, as written and in order, in one bash session inside private network and
/// mount namespaces (loopback up, a tmpfs on /run and one on /var/lib/nflua, so that the control socket and the saved rules are the session's own), against the installed
/// package. The few things a document leaves to its reader are done around the commands, never instead of them:
/// the operator alice exists (created for the session and removed after it), a background command gets time to start
/// (a capture until its packet socket exists), sent traffic gets half a second to be judged. <c>systemctl enable --now nfluad</c> (no systemd runs here) is replaced by the README's own "Without
/// systemd" commands, which start nfluad as the unit does. Each command's output follows a line "::: N" (N its
/// index), so a test can read it.
/// </summary>
internal static partial class DocumentedSession
{
    public const string Systemctl = "systemctl enable --now nfluad";

    private const string Prelude = """
        set -euo pipefail
        ip link set lo up
        mount --make-rprivate /
        mount -t tmpfs -o mode=0755 tmpfs /run
        mkdir -p /var/lib/nflua && mount -t tmpfs -o mode=0750 tmpfs /var/lib/nflua
        cd "$1"
        made_alice=0 alice_in_nflua=0
        if ! getent passwd alice >/dev/null; then useradd --no-create-home --shell /usr/sbin/nologin alice; made_alice=1; fi
        if id -nG alice | grep -qw nflua; then alice_in_nflua=1; fi
        cleanup() {
          if [ -f nfluad.pid ]; then
            pid=$(cat nfluad.pid); kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
          fi
          if [ "$made_alice" = 1 ]; then userdel alice; elif [ "$alice_in_nflua" = 0 ]; then gpasswd -d alice nflua >/dev/null 2>&1 || true; fi
        }
        trap cleanup EXIT
        """;

    /// <summary>The README's commands that start nfluad as its systemd unit would (its "Without systemd" section).</summary>
    public static IReadOnlyList<string> StartAsTheUnit() =>
        DocumentBlocks.IndentedBlocks(Path.Combine(Tools.Repo, "README.md"), "### Without systemd")[1];

    /// <summary>A command without its trailing comment (documents align them after two spaces or more).</summary>
    public static string WithoutComment(string line) => TrailingComment().Replace(line, "");

    /// <summary>Runs <paramref name="commands"/> in <paramref name="workDirectory"/>; exit code 0 when every command
    /// succeeded.</summary>
    public static ProcessResult Run(string workDirectory, IReadOnlyList<string> commands)
    {
        var script = new StringBuilder(Prelude).Append('\n');
        for (int i = 0; i < commands.Count; i++)
        {
            string command = WithoutComment(commands[i]);
            script.Append(CultureInfo.InvariantCulture, $"echo '::: {i}'\n");
            if (command == Systemctl)
            {
                AppendUnitStart(script);
                continue;
            }

            script.Append(command).Append('\n');
            if (command.StartsWith("tcpdump ", StringComparison.Ordinal) && command.EndsWith(" &", StringComparison.Ordinal))
            {
                // A capture in the background: wait for its packet socket (this namespace has no other), as a reader
                // waits for tcpdump's "listening on"; on a loaded machine that takes more than a second.
                script.Append("for _ in $(seq 200); do [ \"$(wc -l </proc/net/packet)\" -gt 1 ] && break; sleep 0.1; done; sleep 1\n");
            }
            else if (command.EndsWith(" &", StringComparison.Ordinal))
            {
                script.Append("sleep 1\n");
            }
            else if (command.Contains("/dev/udp/", StringComparison.Ordinal))
            {
                script.Append("sleep 0.5\n");
            }
        }

        return ProcessRunner.Run("unshare", ["--net", "--mount", "--", "bash", "-c", script.ToString(), "documented-session", workDirectory], timeoutMs: 300_000);
    }

    /// <summary>What command <paramref name="index"/> printed (stdout).</summary>
    public static string OutputOf(ProcessResult result, int index)
    {
        string marker = string.Create(CultureInfo.InvariantCulture, $"::: {index}\n");
        int start = result.StdOut.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return "";
        }

        start += marker.Length;
        int end = result.StdOut.IndexOf("::: ", start, StringComparison.Ordinal);
        return end < 0 ? result.StdOut[start..] : result.StdOut[start..end];
    }

    private static void AppendUnitStart(StringBuilder script)
    {
        // The daemon runs in a subshell, so that it is no job of the session: the documents' "wait" and "$!" mean theirs.
        IReadOnlyList<string> start = StartAsTheUnit();
        foreach (string line in start.Take(start.Count - 1))
        {
            script.Append(WithoutComment(line)).Append('\n');
        }

        script.Append(CultureInfo.InvariantCulture, $"( {WithoutComment(start[^1])} >nfluad.log 2>&1 & echo $! >nfluad.pid )\n");
        script.Append("for _ in $(seq 150); do [ -S /run/nflua/nflua.sock ] && break; sleep 0.1; done\n");
        script.Append("[ -S /run/nflua/nflua.sock ] || { cat nfluad.log; echo 'nfluad did not open its socket' >&2; exit 1; }\n");
    }

    [GeneratedRegex(@"\s{2,}#\s.*$")]
    private static partial Regex TrailingComment();
}
