using System.Globalization;
using NfLua.Fuzz.Engine;
using NfLua.Fuzz.Targets;

namespace NfLua.Fuzz;

/// <summary>The harness's command line.</summary>
internal sealed record CommandLine(IReadOnlyList<string> Targets, FuzzOptions Options, string? WriteSeedsTo)
{
    public static CommandLine Parse(string[] args)
    {
        var options = new FuzzOptions();
        string? target = null, writeSeeds = null;
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--target": target = value; break;
                case "--inputs": options = options with { Inputs = Number(args[i], value, 1, long.MaxValue) }; break;
                case "--seed": options = options with { Seed = (int)Number(args[i], value, int.MinValue, int.MaxValue) }; break;
                case "--corpus": options = options with { CorpusDirectories = [.. options.CorpusDirectories, value] }; break;
                case "--findings": options = options with { FindingsDirectory = value }; break;
                case "--time-bound": options = options with { TimeBound = TimeSpan.FromSeconds(Number(args[i], value, 1, 3600)) }; break;
                case "--write-seeds": writeSeeds = value; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }

            i++;
        }

        if (writeSeeds is null && target is null)
        {
            throw new ArgumentException("--target is required");
        }

        IReadOnlyList<string> targets = target is null ? [] : target == "all" ? FuzzTargets.Names
            : FuzzTargets.Names.Contains(target) ? [target]
            : throw new ArgumentException($"unknown target '{target}' (targets: {string.Join(", ", FuzzTargets.Names)}, all)");
        return new CommandLine(targets, options, writeSeeds);
    }

    private static long Number(string option, string value, long min, long max) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{option} takes an integer from {min} to {max}, not '{value}'");
}
