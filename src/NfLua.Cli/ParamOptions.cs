using System.CommandLine;
using NfLua.Scripting;

namespace NfLua.Cli;

/// <summary>
/// A rule's parameters on the command line: <c>--param key=value</c> (repeatable; integer-looking values become
/// integers, true and false booleans) and <c>--params FILE.lua</c> (a file returning a table, run in a sandbox with no
/// I/O under a small budget). Both may be given: --param values override the file's keys.
/// </summary>
internal sealed class ParamOptions
{
    public Option<string[]> Param { get; } = new("--param")
    {
        Description = "a parameter for nflua.params, key=value (repeatable); 22 is an integer, true/false booleans, anything else text",
        HelpName = "KEY=VALUE",
    };

    public Option<string?> ParamsFile { get; } = new("--params")
    {
        Description = "a Lua file returning a table of parameters for nflua.params (run with no I/O, under a small instruction limit)",
        HelpName = "FILE",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Param);
        command.Options.Add(ParamsFile);
    }

    /// <summary>The parameters given (null when none were), or an error for the user.</summary>
    public bool TryGet(ParseResult parse, out RuleParams? parameters, out string? error)
    {
        ArgumentNullException.ThrowIfNull(parse);
        parameters = null;
        error = null;
        string[] pairs = parse.GetValue(Param) ?? [];
        string? file = parse.GetValue(ParamsFile);
        if (pairs.Length == 0 && file is null)
        {
            return true;
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (file is not null)
        {
            byte[] source;
            try
            {
                source = File.ReadAllBytes(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                error = $"cannot read the parameters file {file}: {ex.Message}";
                return false;
            }

            if (!RuleParamsFile.TryEvaluate(source, file, out RuleParams fromFile, out error))
            {
                return false;
            }

            foreach ((string key, object value) in fromFile.Values)
            {
                values[key] = value;
            }
        }

        foreach (string pair in pairs)
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error = $"--param {pair}: give key=value (such as --param port=22)";
                return false;
            }

            values[pair[..equals]] = RuleParams.ParseText(pair[(equals + 1)..]);
        }

        if (!RuleParams.TryCreate(values, out RuleParams checkedParams, out error))
        {
            return false;
        }

        parameters = checkedParams;
        return true;
    }
}
