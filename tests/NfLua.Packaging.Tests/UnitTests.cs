namespace NfLua.Packaging.Tests;

/// <summary>The systemd unit and the sysusers file, checked offline (no running systemd needed).</summary>
public sealed class UnitTests
{
    private static string Unit => Path.Combine(Tools.Packaging, "systemd", "nfluad.service");

    [Fact]
    public void Unit_verifies_clean_in_a_temporary_root()
    {
        Tools.EnsureCommand("systemd-analyze", "systemd");
        string root = Tools.TempDirectory();
        try
        {
            // The unit as the package installs it, its programs as stubs, and the host's targets and
            // slices so that its dependencies resolve.
            string units = Path.Combine(root, "usr/lib/systemd/system");
            Directory.CreateDirectory(units);
            Directory.CreateDirectory(Path.Combine(root, "usr/bin"));
            File.CreateSymbolicLink(Path.Combine(root, "bin"), "usr/bin");
            File.Copy(Unit, Path.Combine(units, "nfluad.service"));
            Directory.CreateDirectory(Path.Combine(root, "usr/lib/nflua"));
            foreach (string stub in new[] { "usr/bin/nfluad", "usr/bin/kill", "usr/lib/nflua/nflua-kernel-counters" })
            {
                string path = Path.Combine(root, stub);
                File.WriteAllText(path, "#!/bin/sh\nexit 0\n");
                File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
            }

            foreach (string dir in new[] { "/usr/lib/systemd/system", "/lib/systemd/system" })
            {
                if (!Directory.Exists(dir))
                {
                    continue;
                }

                foreach (string file in Directory.EnumerateFiles(dir).Where(f => f.EndsWith(".target", StringComparison.Ordinal) || f.EndsWith(".slice", StringComparison.Ordinal)))
                {
                    string target = Path.Combine(units, Path.GetFileName(file));
                    if (!File.Exists(target))
                    {
                        File.Copy(file, target);
                    }
                }
            }

            var result = Tools.Run("systemd-analyze", "verify", "--man=no", "--root=" + root, "/usr/lib/systemd/system/nfluad.service");
            Assert.True(result.ExitCode == 0 && result.StdOut.Trim().Length == 0 && result.StdErr.Trim().Length == 0,
                $"systemd-analyze verify: exit {result.ExitCode}\n{result.StdOut}{result.StdErr}");

            // The check is real: a stub missing makes it fail.
            File.Delete(Path.Combine(root, "usr/bin/nfluad"));
            var broken = Tools.Run("systemd-analyze", "verify", "--man=no", "--root=" + root, "/usr/lib/systemd/system/nfluad.service");
            Assert.NotEqual(0, broken.ExitCode);
            Assert.Contains("/usr/bin/nfluad", broken.StdErr + broken.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Unit_has_the_required_settings()
    {
        string[] lines = File.ReadAllLines(Unit).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        string[] required =
        [
            "Type=notify", "ExecStartPre=-+/usr/lib/nflua/nflua-kernel-counters", "ExecStart=/usr/bin/nfluad", "ExecReload=/bin/kill -HUP $MAINPID", "Restart=on-failure",
            "User=nflua", "Group=nflua", "AmbientCapabilities=CAP_NET_ADMIN", "CapabilityBoundingSet=CAP_NET_ADMIN",
            "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
            "RestrictAddressFamilies=AF_UNIX AF_NETLINK", "RuntimeDirectory=nflua", "RuntimeDirectoryMode=0750",
            "StateDirectory=nflua", // nfluad --state-dir's default, /var/lib/nflua: the loaded rules survive a restart
            "LogsDirectory=nflua", "LogsDirectoryMode=0750", // /var/log/nflua, nflua's: the event log, rotated by /etc/logrotate.d/nflua
            "WantedBy=multi-user.target",
        ];
        foreach (string setting in required)
        {
            Assert.Contains(setting, lines);
        }

        Assert.DoesNotContain(lines, l => l.StartsWith("MemoryDenyWriteExecute", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("PrivateUsers", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("PrivateNetwork", StringComparison.Ordinal));
        string watchdog = Assert.Single(lines, l => l.StartsWith("WatchdogSec=", StringComparison.Ordinal));
        Assert.Matches(@"^WatchdogSec=([1-9][0-9]*)s$", watchdog);
        int seconds = int.Parse(watchdog["WatchdogSec=".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 10, 300);
    }

    [Fact]
    public void Sysusers_file_creates_the_user_and_group_in_a_temporary_root()
    {
        Tools.EnsureCommand("systemd-sysusers", "systemd");
        string root = Tools.TempDirectory();
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "etc"));
            Tools.MustRun("systemd-sysusers", "--root=" + root, Path.Combine(Tools.Packaging, "systemd", "nflua.sysusers.conf"));
            string passwd = File.ReadAllText(Path.Combine(root, "etc/passwd"));
            string group = File.ReadAllText(Path.Combine(root, "etc/group"));
            Assert.Matches(@"(?m)^nflua:x:\d+:\d+:[^:]*:[^:]*:/usr/sbin/nologin$", passwd);
            Assert.Matches(@"(?m)^nflua:x:\d+:", group);
            string[] user = passwd.Split('\n').First(l => l.StartsWith("nflua:", StringComparison.Ordinal)).Split(':');
            string gid = group.Split('\n').First(l => l.StartsWith("nflua:", StringComparison.Ordinal)).Split(':')[2];
            Assert.Equal(gid, user[3]);
            Assert.True(int.Parse(user[2], System.Globalization.CultureInfo.InvariantCulture) < 1000, "nflua must be a system user");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
