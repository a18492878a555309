using System.CommandLine;
using System.Globalization;
using NfLua.Scripting;

namespace NfLua.Cli;

/// <summary>The per-rule limits shared by <c>load</c> and <c>test</c>; the ranges are the engine's (RuleLimits.Validate).</summary>
internal sealed class RuleLimitOptions
{
    public Option<long?> MaxInstructions { get; } = Ranged(
        "--max-instructions", "K", "Lua instructions allowed per filter call (1000 to 10^12; default: the daemon's, 1000000)", RuleLimits.InstructionRange);

    public Option<long?> MaxMemory { get; } = Ranged(
        "--max-memory", "BYTES", "bytes the rule's Lua state may hold (65536 to 4294967296; default: the daemon's, 8388608)", RuleLimits.MemoryRange);

    public Option<string?> OnError { get; } = CreateOnError();

    public void AddTo(Command command)
    {
        command.Options.Add(MaxInstructions);
        command.Options.Add(MaxMemory);
        command.Options.Add(OnError);
    }

    private static Option<string?> CreateOnError()
    {
        var option = new Option<string?>("--on-error")
        {
            Description = "the verdict a packet gets when the rule fails on it (error, limit, bad return value); default: the queue's, accept",
            HelpName = "accept|drop",
        };
        option.AcceptOnlyFromAmong("accept", "drop");
        return option;
    }

    private static Option<long?> Ranged(string name, string helpName, string description, LimitRange range)
    {
        (long min, long max) = (range.Min, range.Max);
        var option = new Option<long?>(name) { Description = description, HelpName = helpName };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<long?>() is long value && (value < min || value > max))
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be between {min} and {max}, not {value}"));
            }
        });
        return option;
    }
}
