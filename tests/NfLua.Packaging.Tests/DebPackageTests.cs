using System.Text.RegularExpressions;
using NfLua.Testing;

namespace NfLua.Packaging.Tests;

/// <summary>The .deb's contents and metadata, and the installed package at work.</summary>
public sealed partial class DebPackageTests(DebPackageFixture deb) : IClassFixture<DebPackageFixture>
{
    // A PATH without any .NET, and no DOTNET_* variable: the self-contained build must run on its own.
    private static readonly string[] s_bareEnv = ["env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C"];

    [Fact]
    public void Package_is_named_from_the_version()
    {
        Assert.Equal($"nflua_{Tools.Version}_amd64.deb", Path.GetFileName(deb.DebPath));
        Assert.Equal(Path.Combine(Tools.Repo, "dist"), Path.GetDirectoryName(deb.DebPath));
    }

    [Fact]
    public void Package_holds_the_expected_files()
    {
        string[] expected =
        [
            "./usr/lib/nflua/nfluad", "./usr/lib/nflua/nfluad.dll", "./usr/lib/nflua/liblua54.so", "./usr/lib/nflua/libcoreclr.so",
            "./usr/bin/nfluad -> ../lib/nflua/nfluad",
            "./lib/systemd/system/nfluad.service", "./usr/lib/sysusers.d/nflua.conf", "./etc/nflua/nfluad.lua", "./etc/logrotate.d/nflua",
            "./usr/share/nflua/examples/ssh-banner.lua", "./usr/share/nflua/examples/rtp-h263.lua",
            "./usr/sbin/nflua-iptables", "./usr/share/nflua/iptables/nflua-iptables -> ../../../sbin/nflua-iptables",
            "./usr/share/nflua/iptables/one-queue-fail-open.rules", "./usr/share/nflua/iptables/one-queue-fail-closed.rules",
            "./usr/share/nflua/iptables/multi-queue.rules", "./usr/share/nflua/iptables/multi-queue-fail-closed.rules",
            "./usr/share/nflua/iptables/offload-connmark.rules", "./usr/share/nflua/iptables/offload-first-packets.rules",
            "./usr/share/nflua/iptables/reject.rules",
            "./usr/share/doc/nflua/README.md", "./usr/share/doc/nflua/README.source.md", "./usr/share/doc/nflua/README.packaging.md",
            "./usr/share/doc/nflua/copyright",
            "./usr/share/man/man8/nfluad.8.gz", "./usr/share/man/man8/nflua-iptables.8.gz",
            "./usr/share/doc/nflua/changelog.gz", "./usr/share/lintian/overrides/nflua",
        ];
        string[] paths = deb.Contents.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => Regex.Match(l, @"^\S+\s+\S+\s+\d+\s+\S+\s+\S+\s+(.*)$").Groups[1].Value).ToArray();
        foreach (string path in expected)
        {
            Assert.Contains(path, paths);
        }

        foreach (string example in Directory.EnumerateFiles(Path.Combine(Tools.Repo, "examples"), "*.lua"))
        {
            Assert.Contains("./usr/share/nflua/examples/" + Path.GetFileName(example), paths);
        }

        // The examples' sample captures (pcap and pcapng), set files and parameter files, each where the examples' commands name it.
        foreach (string sub in new[] { "captures", "lists", "params" })
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(Tools.Repo, "examples", sub)))
            {
                Assert.Contains($"./usr/share/nflua/examples/{sub}/" + Path.GetFileName(file), paths);
            }
        }

        Assert.Contains("./usr/share/nflua/examples/captures/interface-policy.pcapng", paths);

        Assert.Contains("./usr/share/nflua/examples/README.md", paths);

        Assert.Equal(deb.HasCli, paths.Contains("./usr/bin/nflua-ctl -> ../lib/nflua/nflua-ctl"));
        Assert.Equal(deb.HasCli, paths.Contains("./usr/lib/nflua/nflua-ctl"));
        Assert.Equal(deb.HasCli, paths.Contains("./usr/share/man/man1/nflua-ctl.1.gz"));
        Assert.Equal(deb.HasCli, paths.Contains("./usr/share/bash-completion/completions/nflua-ctl"));
        Assert.DoesNotContain(paths, p => p.EndsWith(".bash-completion", StringComparison.Ordinal));
        foreach (string doc in Directory.EnumerateFiles(Path.Combine(Tools.Repo, "docs"), "*.md"))
        {
            Assert.Contains("./usr/share/doc/nflua/" + Path.GetFileName(doc), paths);
        }
        Assert.DoesNotContain(paths, p => p.EndsWith(".pdb", StringComparison.Ordinal) || p.EndsWith(".deb", StringComparison.Ordinal));
        Assert.DoesNotContain(paths, p => p.Contains("libcoreclrtraceptprovider", StringComparison.Ordinal));

        // Owned by root, programs executable.
        Assert.All(deb.Contents.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.Contains(" root/root ", l, StringComparison.Ordinal));
        Assert.Matches(@"(?m)^-rwxr-xr-x root/root .* \./usr/lib/nflua/nfluad$", deb.Contents);
        Assert.Matches(@"(?m)^-rwxr-xr-x root/root .* \./usr/sbin/nflua-iptables$", deb.Contents);
        Assert.Matches(@"(?m)^-rw-r--r-- root/root .* \./etc/nflua/nfluad.lua$", deb.Contents);
        Assert.Matches(@"(?m)^-rw-r--r-- root/root .* \./etc/logrotate.d/nflua$", deb.Contents);
    }

    [Fact]
    public void Control_file_declares_version_dependencies_and_conffiles()
    {
        string control = Tools.MustRun("dpkg-deb", "--field", deb.DebPath).StdOut;
        Assert.Matches(@"(?m)^Package: nflua$", control);
        Assert.Matches($@"(?m)^Version: {Regex.Escape(Tools.Version)}$", control);
        Assert.Matches(@"(?m)^Architecture: amd64$", control);
        Assert.Matches(@"(?m)^Recommends: iptables$", control);
        string depends = Regex.Match(control, @"(?m)^Depends: (.*)$").Groups[1].Value;
        string[] names = depends.Split(',').Select(d => d.Trim().Split(' ')[0]).Order(StringComparer.Ordinal).ToArray();
        // procps: the unit's ExecReload runs /bin/kill, which a minimal Debian root lacks (check-clean-root found it).
        Assert.Equal(["libc6", "libgcc-s1", "libstdc++6", "procps"], names);

        // InvariantGlobalization is on, so the runtime needs no libicu.
        Assert.Contains("<InvariantGlobalization>true</InvariantGlobalization>", File.ReadAllText(Path.Combine(Tools.Repo, "Directory.Build.props")), StringComparison.Ordinal);

        string info = Tools.MustRun("dpkg-deb", "--info", deb.DebPath).StdOut;
        foreach (string script in new[] { "postinst", "prerm", "postrm", "conffiles", "md5sums" })
        {
            Assert.Contains(script, info, StringComparison.Ordinal);
        }

        string conffiles = Tools.MustRun("dpkg-deb", "--info", deb.DebPath, "conffiles").StdOut;
        Assert.Equal("/etc/nflua/nfluad.lua\n/etc/logrotate.d/nflua", conffiles.Trim());
        string postinst = Tools.MustRun("dpkg-deb", "--info", deb.DebPath, "postinst").StdOut;
        Assert.Contains("systemd-sysusers", postinst, StringComparison.Ordinal);
        Assert.Contains("daemon-reload", postinst, StringComparison.Ordinal);
        Assert.DoesNotContain("systemctl start", postinst, StringComparison.Ordinal);
        Assert.DoesNotContain("enable", postinst.Split('\n').Where(l => !l.TrimStart().StartsWith('#')).Aggregate("", (a, b) => a + b + "\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Package_installs_and_creates_the_user_and_group()
    {
        Assert.True(deb.Installed, "dpkg -i failed:\n" + deb.InstallOutput);
        Assert.Equal(0, Tools.Run("getent", "group", "nflua").ExitCode);
        string user = Tools.MustRun("getent", "passwd", "nflua").StdOut;
        Assert.Matches(@"^nflua:x:\d+:\d+:", user);
        string status = Tools.MustRun("dpkg-query", "-W", "-f=${Status} ${Version}", "nflua").StdOut;
        Assert.Equal($"install ok installed {Tools.Version}", status);
        Assert.True(File.Exists("/usr/bin/nfluad"));
        Assert.True(File.Exists("/etc/nflua/nfluad.lua"));
        Assert.True(File.Exists("/lib/systemd/system/nfluad.service"));
        Assert.Equal(deb.HasCli, File.Exists("/usr/bin/nflua-ctl"));
    }

    [Fact]
    public void Installed_nfluad_runs_without_dotnet_and_accepts_the_default_configuration()
    {
        Assert.True(deb.Installed, "dpkg -i failed:\n" + deb.InstallOutput);
        // Self-contained: its runtimeconfig names the runtime it carries instead of a shared framework.
        string runtimeConfig = File.ReadAllText("/usr/lib/nflua/nfluad.runtimeconfig.json");
        Assert.Contains("includedFrameworks", runtimeConfig, StringComparison.Ordinal);

        ProcessResult help = BareRun("/usr/bin/nfluad", "--help");
        Assert.True(help.ExitCode == 0, $"nfluad --help: {help.ExitCode}\n{help.StdOut}{help.StdErr}");
        Assert.Contains("--check-config", help.StdOut, StringComparison.Ordinal);

        // The default path and the explicit one.
        ProcessResult check = BareRun("/usr/bin/nfluad", "--check-config");
        Assert.True(check.ExitCode == 0, $"nfluad --check-config: {check.ExitCode}\n{check.StdOut}{check.StdErr}");
        Assert.Contains("/etc/nflua/nfluad.lua: valid", check.StdOut, StringComparison.Ordinal);
        check = BareRun("/usr/bin/nfluad", "--config", "/etc/nflua/nfluad.lua", "--check-config");
        Assert.True(check.ExitCode == 0, $"nfluad --config /etc/nflua/nfluad.lua --check-config: {check.ExitCode}\n{check.StdOut}{check.StdErr}");

        // The default configuration binds no queue, and its socket group is the unit's group.
        string config = File.ReadAllText("/etc/nflua/nfluad.lua");
        string[] active = config.Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal) && l.Trim().Length > 0).ToArray();
        Assert.DoesNotContain(active, l => l.Contains("queue", StringComparison.Ordinal));
        Assert.Contains(active, l => l.Contains("control {", StringComparison.Ordinal) && l.Contains("group = \"nflua\"", StringComparison.Ordinal));

        // The commented example queues, uncommented, are valid against the installed examples.
        string dir = Tools.TempDirectory();
        try
        {
            string uncommented = Regex.Replace(config, @"(?m)^-- (queue \{.*)$", "$1");
            uncommented = Regex.Replace(uncommented, @"(?m)^--(   rule \{.*)$", "$1");
            uncommented = Regex.Replace(uncommented, @"(?m)^-- \}$", "}");
            Assert.Contains("\nqueue { 0,", uncommented, StringComparison.Ordinal);
            Assert.Contains("\nqueue { first = 2", uncommented, StringComparison.Ordinal);
            string path = Path.Combine(dir, "nfluad.lua");
            File.WriteAllText(path, uncommented);
            ProcessResult example = BareRun("/usr/bin/nfluad", "--config", path, "--check-config");
            Assert.True(example.ExitCode == 0, $"the example queues: {example.ExitCode}\n{example.StdOut}{example.StdErr}\n{uncommented}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Installed_nfluad_runs_without_any_dotnet_installation_visible()
    {
        Assert.True(deb.Installed, "dpkg -i failed:\n" + deb.InstallOutput);
        // Hide every usual .NET location behind an empty tmpfs in a private mount namespace.
        const string script = """
            set -e
            for d in /usr/share/dotnet /usr/lib/dotnet /opt/dotnet /root/.dotnet /usr/local/share/dotnet; do
              if [ -d "$d" ]; then mount -t tmpfs none "$d"; fi
            done
            ! command -v dotnet >/dev/null 2>&1 || ! dotnet --info >/dev/null 2>&1
            /usr/bin/nfluad --check-config
            """;
        ProcessResult result = ProcessRunner.Run("unshare", ["--mount", "--", .. s_bareEnv, "bash", "-c", script]);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.StdOut}{result.StdErr}");
        Assert.Contains("valid", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Installed_unit_verifies_clean()
    {
        Assert.True(deb.Installed, "dpkg -i failed:\n" + deb.InstallOutput);
        Tools.EnsureCommand("systemd-analyze", "systemd");
        // Documentation=man:nfluad(8) is checked too when man can read the installed page.
        bool man = Tools.HasCommand("man") && File.Exists("/usr/share/man/man8/nfluad.8.gz");
        ProcessResult result = Tools.Run("systemd-analyze", "verify", man ? "--man=yes" : "--man=no", "/lib/systemd/system/nfluad.service");
        Assert.True(result.ExitCode == 0 && (result.StdOut + result.StdErr).Trim().Length == 0,
            $"systemd-analyze verify: exit {result.ExitCode}\n{result.StdOut}{result.StdErr}");
    }

    [Theory]
    [InlineData("man8/nfluad.8", "nfluad - run Lua packet-filter rules")]
    [InlineData("man1/nflua-ctl.1", "nflua-ctl - load, unload and inspect the Lua rules")]
    [InlineData("man8/nflua-iptables.8", "nflua-iptables - install or remove the iptables rules")]
    public void Man_pages_are_installed_and_render_without_warnings(string page, string nameLine)
    {
        Assert.True(deb.Installed, "dpkg -i failed:\n" + deb.InstallOutput);
        Assert.True(File.Exists("/usr/share/man/" + page + ".gz"), $"/usr/share/man/{page}.gz is not installed");
        Tools.EnsureCommand("man", "man-db");
        ProcessResult result = ProcessRunner.Run("man", ["--warnings", "-l", "/usr/share/man/" + page + ".gz"],
            new Dictionary<string, string> { ["MANWIDTH"] = "80", ["MANPAGER"] = "cat" });
        Assert.True(result.ExitCode == 0 && result.StdErr.Trim().Length == 0, $"man: {result.ExitCode}\n{result.StdErr}");
        Assert.Contains(nameLine, result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Installed_programs_and_man_pages_carry_the_package_version()
    {
        Assert.True(deb.Installed, "dpkg -i failed:\n" + deb.InstallOutput);
        Assert.Matches(@"^\d+\.\d+\.\d+$", Tools.Version);
        foreach (string program in deb.HasCli ? new[] { "/usr/bin/nfluad", "/usr/bin/nflua-ctl" } : ["/usr/bin/nfluad"])
        {
            ProcessResult version = BareRun(program, "--version");
            Assert.True(version.ExitCode == 0, $"{program} --version: {version.ExitCode}\n{version.StdErr}");
            Assert.Equal(Tools.Version, version.StdOut.Trim());
        }

        Tools.EnsureCommand("man", "man-db");
        foreach (string page in new[] { "man8/nfluad.8.gz", "man8/nflua-iptables.8.gz", "man1/nflua-ctl.1.gz" }.Where(p => deb.HasCli || !p.Contains("ctl", StringComparison.Ordinal)))
        {
            ProcessResult man = ProcessRunner.Run("man", ["-l", "/usr/share/man/" + page], new Dictionary<string, string> { ["MANWIDTH"] = "80", ["MANPAGER"] = "cat" });
            string footer = man.StdOut.TrimEnd().Split('\n')[^1];
            Assert.Matches($@"^nflua {Regex.Escape(Tools.Version)}\s", footer);
        }
    }

    [Fact]
    public void Installed_bash_completion_is_the_command_trees_and_bash_completion_loads_it()
    {
        Assert.True(deb.Installed, "dpkg -i failed:\n" + deb.InstallOutput);
        Assert.True(deb.HasCli, "nflua-ctl was not packaged");
        const string Path = "/usr/share/bash-completion/completions/nflua-ctl";
        Assert.Equal(BareRun("/usr/bin/nflua-ctl", "completion-script", "bash").StdOut, File.ReadAllText(Path));
        Assert.StartsWith($"# bash completion for nflua-ctl {Tools.Version}, ", File.ReadAllText(Path), StringComparison.Ordinal);
        // The README's ". dist/nflua-ctl.bash-completion" for a source build sources the same file.
        Assert.Equal(File.ReadAllText(System.IO.Path.Combine(Tools.Repo, "dist", "nflua-ctl.bash-completion")), File.ReadAllText(Path));

        // As an interactive bash with bash-completion finds it on the first TAB: by the command's name.
        Tools.EnsureCommand("bash", "bash");
        Assert.True(File.Exists("/usr/share/bash-completion/bash_completion"), "bash-completion is not installed (scripts/setup installs it)");
        const string Script = """
            source /usr/share/bash-completion/bash_completion
            __load_completion nflua-ctl
            complete -p nflua-ctl
            COMP_WORDS=(nflua-ctl st); COMP_CWORD=1; _nflua_ctl; echo "${COMPREPLY[*]}"
            """;
        ProcessResult result = BareRun("bash", "-c", Script);
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Equal(["complete -F _nflua_ctl nflua-ctl", "stats status"], result.StdOut.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Changelog_names_the_package_version()
    {
        string changelog = Tools.MustRun("bash", "-c", $"dpkg-deb --fsys-tarfile '{deb.DebPath}' | tar -xO ./usr/share/doc/nflua/changelog.gz | gunzip").StdOut;
        Assert.StartsWith($"nflua ({Tools.Version}) ", changelog, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^ -- .+ <.+>  \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$", changelog);
    }

    [Fact]
    public void Installed_nfluad_works_as_the_unit_runs_it()
    {
        Assert.True(deb.Installed, "dpkg -i failed:\n" + deb.InstallOutput);
        // As the unit: user and group nflua, CAP_NET_ADMIN only (ambient and bounding), no new privileges,
        // a runtime directory of mode 0750 owned by nflua, NOTIFY_SOCKET set; in a private network namespace.
        string dir = Tools.TempDirectory();
        try
        {
            string run = Path.Combine(dir, "run");
            Directory.CreateDirectory(run);
            Tools.MustRun("chown", "nflua:nflua", run);
            Tools.MustRun("chmod", "0750", run);
            string notifyPath = Path.Combine(dir, "notify");
            using var notify = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Unspecified);
            notify.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(notifyPath));
            File.SetUnixFileMode(notifyPath, (UnixFileMode)0b111_111_111);
            notify.ReceiveTimeout = 1000;
            var messages = new System.Collections.Concurrent.ConcurrentQueue<string>();
            using var stop = new CancellationTokenSource();
            var listener = new Thread(() =>
            {
                var buffer = new byte[4096];
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        int n = notify.Receive(buffer);
                        messages.Enqueue(System.Text.Encoding.UTF8.GetString(buffer, 0, n));
                    }
                    catch (System.Net.Sockets.SocketException)
                    {
                        // timeout: look at the flag again
                    }
                }
            }) { IsBackground = true };
            listener.Start();

            const string script = """
                set -u
                notify=$1 run=$2
                ip link set lo up
                setpriv --reuid nflua --regid nflua --init-groups --inh-caps +net_admin --ambient-caps +net_admin \
                  --bounding-set -all,+net_admin --no-new-privs \
                  env -i PATH=/usr/bin:/bin NOTIFY_SOCKET="$notify" /usr/bin/nfluad --socket "$run/nflua.sock" --queue 7 &
                pid=$!
                for _ in $(seq 1 300); do [ -S "$run/nflua.sock" ] && break; sleep 0.1; done
                sleep 0.5
                echo "QUEUES:"; cat /proc/net/netfilter/nfnetlink_queue
                echo "SOCKET: $(stat -c '%a %U %G' "$run/nflua.sock")"
                grep -E '^Cap(Eff|Bnd|Amb):' /proc/$pid/status
                kill -TERM $pid
                wait $pid
                echo "EXIT: $?"
                """;
            ProcessResult result = ProcessRunner.Run("unshare", ["--net", "--", "bash", "-c", script, "nfluad-as-unit", notifyPath, run], timeoutMs: 90_000);
            Thread.Sleep(300);
            stop.Cancel();
            listener.Join();
            string all = string.Join(" | ", messages);
            string why = $"{result.StdOut}\n{result.StdErr}\nnotifications: {all}";
            Assert.Contains("EXIT: 0", result.StdOut, StringComparison.Ordinal);
            Assert.Matches(@"(?m)^\s+7\s+\d+\s+", result.StdOut);
            Assert.Contains("SOCKET: 660 nflua nflua", result.StdOut, StringComparison.Ordinal);
            Assert.Contains("CapEff:\t0000000000001000", result.StdOut, StringComparison.Ordinal);
            Assert.Contains("CapBnd:\t0000000000001000", result.StdOut, StringComparison.Ordinal);
            Assert.True(messages.Any(m => m.Contains("READY=1", StringComparison.Ordinal)), "no READY=1: " + why);
            Assert.True(messages.Any(m => m.Contains("STOPPING=1", StringComparison.Ordinal)), "no STOPPING=1: " + why);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static ProcessResult BareRun(params string[] command) => ProcessRunner.Run(s_bareEnv[0], [.. s_bareEnv[1..], .. command]);
}
