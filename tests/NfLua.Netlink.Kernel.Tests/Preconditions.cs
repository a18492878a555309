namespace NfLua.Netlink.Kernel.Tests;

/// <summary>Kernel tests must run, never skip: a missing precondition fails with what to do.</summary>
internal static class Preconditions
{
    private static readonly Lazy<string?> s_problem = new(FindProblem);

    public static void Check()
    {
        if (s_problem.Value is { } problem)
        {
            Assert.Fail(problem);
        }
    }

    private static string? FindProblem()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return "kernel tests need root (CAP_NET_ADMIN): run them as scripts/test does, as root inside `unshare --net`";
        }

        // /proc/net follows the caller's network namespace; /sys/class/net shows the namespace sysfs was mounted in.
        string[] interfaces = File.ReadAllLines("/proc/net/dev").Skip(2).Select(line => line.Split(':')[0].Trim()).ToArray();
        if (interfaces.Any(name => name != "lo"))
        {
            return "kernel tests change iptables rules: run them inside a private network namespace "
                + $"(`unshare --net -- bash scripts/in-netns <exe>`); this namespace has {string.Join(", ", interfaces)}";
        }

        if (!File.Exists("/usr/sbin/iptables") && !File.Exists("/sbin/iptables"))
        {
            return "iptables is missing: install it (apt-get install iptables)";
        }

        ProcessResult link = ProcessRunner.Run("ip", ["-o", "link", "show", "lo"]);
        if (link.ExitCode != 0 || !link.StdOut.Contains(",UP", StringComparison.Ordinal))
        {
            return "loopback is down: start the tests through scripts/in-netns, which brings lo up";
        }

        return null;
    }
}
