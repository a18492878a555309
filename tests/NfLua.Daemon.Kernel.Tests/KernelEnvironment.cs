using System.Diagnostics;

namespace NfLua.Daemon.Kernel.Tests;

/// <summary>The namespace the tests run in, the nfluad under test, and the commands they need.</summary>
internal static class KernelEnvironment
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Nfluad => Path.Combine(RepoRoot, "src", "NfLua.Daemon", "bin", "Release", "net10.0", "nfluad");

    public static string NfluaCtl => Path.Combine(RepoRoot, "src", "NfLua.Cli", "bin", "Release", "net10.0", "nflua-ctl");

    public static string Examples => Path.Combine(RepoRoot, "examples");

    /// <summary>
    /// The environment nfluad's systemd unit gives it (its <c>Environment=</c> lines: malloc and GC tuning read
    /// before Main runs), so the daemon under test runs as installed.
    /// </summary>
    public static IReadOnlyDictionary<string, string> UnitEnvironment { get; } = ReadUnitEnvironment();

    /// <summary>Fails (never skips) when the tier cannot run: it must run in CI, as root, in a private namespace.</summary>
    public static void Require()
    {
        Assert.True(Environment.IsPrivilegedProcess, "the kernel tier runs as root (CI does)");
        Assert.True(File.Exists(Nfluad), $"{Nfluad} is missing: build the solution in Release first");
        string links = Run("ip", "-o", "link").StdOut;
        Assert.True(links.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length <= 1,
            "run the kernel tier inside a private network namespace (scripts/test does: unshare --net)");
    }

    /// <summary>
    /// A copy of nflua-ctl (with everything beside it) in a directory every user may enter, for running it as another
    /// user: the checkout itself may sit where they cannot (a clone under /root, a 0700 mktemp directory), and .NET's
    /// host refuses to start from a path it cannot resolve. The caller deletes the directory.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static string CopyNfluaCtlForOtherUsers(out string directory)
    {
        const UnixFileMode everyoneReads = (UnixFileMode)0b111_101_101; // 0755
        directory = Directory.CreateTempSubdirectory("nflua-ctl-").FullName;
        File.SetUnixFileMode(directory, everyoneReads);
        foreach (string file in Directory.GetFiles(Path.GetDirectoryName(NfluaCtl)!))
        {
            string copy = Path.Combine(directory, Path.GetFileName(file));
            File.Copy(file, copy);
            File.SetUnixFileMode(copy, everyoneReads);
        }

        return Path.Combine(directory, Path.GetFileName(NfluaCtl));
    }

    public static (int ExitCode, string StdOut, string StdErr) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        string stdout = p.StandardOutput.ReadToEnd();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout, stderr);
    }

    public static void Iptables(params string[] args)
    {
        var result = Run("iptables", ["-w", .. args]);
        Assert.True(result.ExitCode == 0, $"iptables {string.Join(' ', args)}: {result.StdErr}");
    }

    /// <summary>The kernel's "waiting" count of a queue, or null when no socket is bound to it.</summary>
    public static int? Waiting(ushort queue)
    {
        foreach (string line in File.ReadAllLines("/proc/net/netfilter/nfnetlink_queue"))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length >= 3 && f[0] == queue.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                return int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    private static Dictionary<string, string> ReadUnitEnvironment()
    {
        var environment = new Dictionary<string, string>();
        foreach (string line in File.ReadAllLines(Path.Combine(RepoRoot, "packaging", "systemd", "nfluad.service")))
        {
            if (!line.StartsWith("Environment=", StringComparison.Ordinal))
            {
                continue;
            }

            // Plain NAME=VALUE words only: the unit keeps them simple, and anything else fails here loudly.
            foreach (string assignment in line["Environment=".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = assignment.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || assignment.IndexOfAny(['"', '\'', '\\', '$', '%']) >= 0)
                {
                    throw new InvalidOperationException($"nfluad.service: '{assignment}' is not a plain NAME=VALUE assignment");
                }

                environment[assignment[..eq]] = assignment[(eq + 1)..];
            }
        }

        return environment;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NfLua.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("no NfLua.sln above " + AppContext.BaseDirectory);
    }
}
