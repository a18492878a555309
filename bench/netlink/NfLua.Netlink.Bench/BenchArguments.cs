using System.Globalization;

namespace NfLua.Netlink.Bench;

/// <summary>
/// The command line: <c>QUEUE PACKETS SECONDS [--batch N] [--copy-range N] [--no-verdict-batch]</c>,
/// the same positional arguments as the C reference (nfq_accept).
/// </summary>
internal sealed record BenchArguments(ushort Queue, long Packets, double Seconds, int BatchSize, uint CopyRange, bool UseVerdictBatch)
{
    public const string Usage = "usage: NfLua.Netlink.Bench QUEUE PACKETS SECONDS [--batch N] [--copy-range N] [--no-verdict-batch]";

    public static BenchArguments? Parse(string[] args)
    {
        if (args.Length < 3)
        {
            return null;
        }

        var parsed = new BenchArguments(
            ushort.Parse(args[0], CultureInfo.InvariantCulture),
            long.Parse(args[1], CultureInfo.InvariantCulture),
            double.Parse(args[2], CultureInfo.InvariantCulture),
            BatchSize: 64,
            CopyRange: 65535,
            UseVerdictBatch: true);
        for (int i = 3; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--batch" when i + 1 < args.Length:
                    parsed = parsed with { BatchSize = int.Parse(args[++i], CultureInfo.InvariantCulture) };
                    break;
                case "--copy-range" when i + 1 < args.Length:
                    parsed = parsed with { CopyRange = uint.Parse(args[++i], CultureInfo.InvariantCulture) };
                    break;
                case "--no-verdict-batch":
                    parsed = parsed with { UseVerdictBatch = false };
                    break;
                default:
                    return null;
            }
        }

        return parsed;
    }
}
