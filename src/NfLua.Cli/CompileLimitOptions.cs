using System.CommandLine;
using System.Globalization;
using NfLua.Scripting;

namespace NfLua.Cli;

/// <summary>The main chunk's own budget and time limit (compile_instructions, compile_time_ms in the configuration).</summary>
internal sealed class CompileLimitOptions
{
    public Option<long?> CompileInstructions { get; } = Ranged(
        "--compile-instructions", "K",
        "budget of the script's main chunk, run once when it loads (1000 to 10^12; default: 100 x --max-instructions)",
        RuleLimits.InstructionRange);

    public Option<long?> CompileTime { get; } = Ranged(
        "--compile-time", "MS",
        "wall-clock milliseconds the script's main chunk may take when it loads (1 to 60000; default: 1000)",
        RuleLimits.CompileTimeMsRange);

    public void AddTo(Command command)
    {
        command.Options.Add(CompileInstructions);
        command.Options.Add(CompileTime);
    }

    private static Option<long?> Ranged(string name, string helpName, string description, LimitRange range)
    {
        var option = new Option<long?>(name) { Description = description, HelpName = helpName };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<long?>() is long value && !range.Contains(value))
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be between {range.Min} and {range.Max}, not {value}"));
            }
        });
        return option;
    }
}
