using System.Globalization;

namespace NfLua.Netlink.Kernel.Tests;

/// <summary>Runs iptables, one call at a time (concurrent nft transactions can collide).</summary>
internal static class Iptables
{
    private static readonly Lock s_lock = new();

    public static string Run(params string[] args)
    {
        lock (s_lock)
        {
            ProcessResult result = ProcessRunner.Run("iptables", ["-w", .. args]);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"iptables {string.Join(' ', args)} failed ({result.ExitCode}): {result.StdErr}");
            }

            return result.StdOut;
        }
    }

    /// <summary>The packet counter of the rule in <paramref name="chain"/> whose comment is <paramref name="comment"/>.</summary>
    public static long PacketCount(string table, string chain, string comment)
    {
        string listing = Run("-t", table, "-nvxL", chain);
        foreach (string line in listing.Split('\n'))
        {
            if (line.Contains($"/* {comment} */", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"no rule commented {comment} in {table}/{chain}:\n{listing}");
    }
}
