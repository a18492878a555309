using System.CommandLine;
using NfLua.Scripting;

namespace NfLua.Cli;

/// <summary>
/// A rule's parameters on the command line, for <c>load</c> and <c>test</c> alike: <c>--param key=value</c>
/// (repeatable; <see cref="ParamArguments"/>) and <c>--params FILE.lua</c> (a file returning a table, run in a bare
/// state with no library and no globals under a small budget: <see cref="RuleParamsFile"/>). Both may be given:
/// --param values override the file's keys.
/// </summary>
internal sealed class ParamOptions
{
    public Option<string[]> Param { get; } = CreateParam();

    public Option<string?> ParamsFile { get; } = new("--params")
    {
        Description = "a Lua file returning a table of parameters for nflua.params (strings, integers, booleans, tables of them), run with no library and no globals under a small instruction budget; --param values override its keys",
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

            if (!RuleParamsFile.TryLoad(source, file, out RuleParams fromFile, out error))
            {
                return false;
            }

            foreach ((string key, object value) in fromFile.Values)
            {
                values[key] = value;
            }
        }

        if (!ParamArguments.TryParseAll(pairs, out Dictionary<string, object?> given, out error))
        {
            return false;
        }

        foreach ((string key, object? value) in given)
        {
            values[key] = value;
        }

        if (!RuleParams.TryCreate(values, out RuleParams checkedParams, out error))
        {
            return false;
        }

        parameters = checkedParams;
        return true;
    }

    private static Option<string[]> CreateParam()
    {
        var option = new Option<string[]>("--param")
        {
            Description = "a parameter for nflua.params, key=value (repeatable): integers (22, 0x2a) stay integers, true and false booleans, anything else text",
            HelpName = "KEY=VALUE",
        };
        option.Validators.Add(result =>
        {
            if (!ParamArguments.TryParseAll(result.GetValueOrDefault<string[]>() ?? [], out _, out string? error))
            {
                result.AddError(error!);
            }
        });
        return option;
    }
}
