using NfLua.Testing;

namespace NfLua.Packaging.Tests;

/// <summary>
/// packaging/logrotate/nflua, installed as /etc/logrotate.d/nflua: what docs/operations.md shows, and what logrotate
/// does with it (run for real on a copy pointed at a temporary directory): the event log renamed (not copied and
/// truncated), then nfluad told to reopen it with SIGHUP through systemctl.
/// </summary>
public sealed class LogrotateTests
{
    private static string Config => Path.Combine(Tools.Packaging, "logrotate", "nflua");

    [Fact]
    public void OperationsMd_shows_the_shipped_file()
    {
        string indented = string.Join("\n", File.ReadAllLines(Config).Select(l => l.Length == 0 ? "" : "    " + l));
        string doc = File.ReadAllText(Path.Combine(Tools.Repo, "docs", "operations.md"));
        Assert.Contains(indented, doc, StringComparison.Ordinal);
        Assert.DoesNotContain("copytruncate", File.ReadAllText(Config), StringComparison.Ordinal);
        Assert.Contains("LogsDirectory=nflua", File.ReadAllLines(Path.Combine(Tools.Packaging, "systemd", "nfluad.service")));
    }

    [Fact]
    public void Logrotate_renames_the_event_log_then_signals_nfluad_to_reopen_it()
    {
        Tools.EnsureCommand("logrotate", "logrotate");
        string dir = Tools.TempDirectory();
        try
        {
            string logs = Path.Combine(dir, "log");
            string bin = Path.Combine(dir, "bin");
            Directory.CreateDirectory(logs);
            Directory.CreateDirectory(bin);
            File.SetUnixFileMode(logs, (UnixFileMode)0b111_101_000); // as LogsDirectoryMode=0750 makes it

            // systemctl as a stub that records how it was called (and as whom).
            string calls = Path.Combine(dir, "systemctl.calls");
            string systemctl = Path.Combine(bin, "systemctl");
            File.WriteAllText(systemctl, $"#!/bin/sh\necho \"$(id -u) $*\" >> '{calls}'\n");
            File.SetUnixFileMode(systemctl, (UnixFileMode)0b111_101_101);

            // The shipped file, pointed at the temporary directory, rotating as another unprivileged user when the test is
            // root (nflua may not exist here: nobody), else as this test's user.
            bool asNobody = Tools.IsRoot() && Tools.Run("id", "nobody").ExitCode == 0;
            string user = asNobody ? "nobody" : Tools.MustRun("id", "-un").StdOut.Trim();
            string group = asNobody ? Tools.MustRun("id", "-gn", "nobody").StdOut.Trim() : Tools.MustRun("id", "-gn").StdOut.Trim();
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
            string shipped = File.ReadAllText(Config);
            Assert.Contains("/var/log/nflua/events.json {", shipped, StringComparison.Ordinal);
            Assert.Contains("    su nflua nflua\n", shipped, StringComparison.Ordinal);
            string config = Path.Combine(dir, "nflua.conf");
            File.WriteAllText(config, shipped
                .Replace("/var/log/nflua/events.json", Path.Combine(logs, "events.json"), StringComparison.Ordinal)
                .Replace("su nflua nflua", $"su {user} {group}", StringComparison.Ordinal));

            string events = Path.Combine(logs, "events.json");
            File.WriteAllText(events, "{\"type\":\"alert\"}\n");
            if (asNobody)
            {
                Tools.MustRun("chown", "-R", $"nobody:{group}", logs);
            }

            long inode = Inode(events);
            var env = new Dictionary<string, string> { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH") };
            ProcessResult run = ProcessRunner.Run("logrotate", ["--force", "--state", Path.Combine(dir, "state"), config], env);
            Assert.True(run.ExitCode == 0, $"logrotate: exit {run.ExitCode}\n{run.StdOut}{run.StdErr}");

            // Renamed, not copied: the same file (inode) under the new name, nothing left under the old one (nfluad makes it on SIGHUP).
            string rotated = Path.Combine(logs, "events.json.1");
            Assert.True(File.Exists(rotated), string.Join(", ", Directory.EnumerateFiles(logs)));
            Assert.Equal(inode, Inode(rotated));
            Assert.Equal("{\"type\":\"alert\"}\n", File.ReadAllText(rotated));
            Assert.False(File.Exists(events));

            // Then exactly the command docs/operations.md gives, once; the signal nfluad reopens its event log on.
            string call = Assert.Single(File.ReadAllLines(calls));
            Assert.EndsWith(" kill --signal=HUP nfluad.service", call, StringComparison.Ordinal);
            if (asNobody)
            {
                Assert.Equal("0 kill --signal=HUP nfluad.service", call); // logrotate runs the script as root again: systemctl may signal
            }
            Assert.Contains("systemctl kill --signal=HUP nfluad.service", shipped, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static long Inode(string path) => long.Parse(Tools.MustRun("stat", "-c", "%i", path).StdOut.Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
