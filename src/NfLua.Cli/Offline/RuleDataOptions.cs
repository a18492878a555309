using System.CommandLine;
using NfLua.Packets.Sets;
using NfLua.Scripting;

namespace NfLua.Cli.Offline;

/// <summary>
/// <c>test</c>'s options that give the rule what the daemon would: named sets read from files
/// (<c>--set NAME=KIND:FILE</c>) and parameters (<c>--param key=value</c>, <c>--params FILE.lua</c>).
/// </summary>
internal sealed class RuleDataOptions
{
    /// <summary>The most memory one set may take offline.</summary>
    private const long MaxSetBytes = 4L << 30;

    public Option<string[]> Sets { get; } = CreateSets();

    /// <summary>--param and --params, as <c>load</c> has them.</summary>
    public ParamOptions Params { get; } = new();

    public void AddTo(Command command)
    {
        command.Options.Add(Sets);
        Params.AddTo(command);
    }

    /// <summary>Reads the sets' files and the parameters into the rule's environment.</summary>
    /// <returns>The environment, or one line saying what is wrong (a file and line where there is one).</returns>
    public (RuleEnvironment? Environment, string? Error) Read(ParseResult parse, IInterfaceNames interfaces)
    {
        if (!Params.TryGet(parse, out RuleParams? given, out string? paramsError))
        {
            return (null, paramsError);
        }

        RuleParams ruleParams = given ?? RuleParams.Empty;
        var sets = new Dictionary<string, NamedSet>(StringComparer.Ordinal);
        foreach (string text in parse.GetValue(Sets) ?? [])
        {
            _ = TryParseSet(text, out string name, out SetKind kind, out string file, out _);
            var builder = new SetBuilder(name, kind, MaxSetBytes);
            try
            {
                builder.AddFile(file, file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return (null, $"cannot read set {name}'s file {file}: {ex.Message}");
            }

            if (builder.Build() is not IMatchSet contents)
            {
                IReadOnlyList<string> errors = builder.Errors;
                return (null, errors.Count > 1 ? $"{errors[0]} (and {errors.Count - 1} more)" : errors[0]);
            }

            sets[name] = new NamedSet(name, contents);
        }

        return (new RuleEnvironment { Params = ruleParams, Sets = sets, Interfaces = interfaces }, null);
    }

    /// <summary>Parses <c>NAME=KIND:FILE</c>, KIND one of cidr, domain, string.</summary>
    internal static bool TryParseSet(string text, out string name, out SetKind kind, out string file, out string? error)
    {
        kind = SetKind.Cidr;
        file = "";
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        name = equals < 0 ? text : text[..equals];
        int colon = equals < 0 ? -1 : text.IndexOf(':', equals + 1);
        if (equals <= 0 || colon < 0 || colon == text.Length - 1)
        {
            error = $"--set takes NAME=KIND:FILE (KIND: cidr, domain or string), e.g. bad-nets=cidr:lists/bad.txt, not '{text}'";
            return false;
        }

        string kindText = text[(equals + 1)..colon];
        SetKind? known = kindText switch
        {
            "cidr" => SetKind.Cidr,
            "domain" => SetKind.Domain,
            "string" => SetKind.Exact,
            _ => null,
        };
        if (known is null)
        {
            error = $"--set {name}: unknown kind '{kindText}' (cidr, domain or string)";
            return false;
        }

        kind = known.Value;
        file = text[(colon + 1)..];
        error = null;
        return true;
    }

    private static Option<string[]> CreateSets()
    {
        var option = new Option<string[]>("--set")
        {
            Description = "a named set for nflua.set(NAME), read from FILE (one entry a line, '#' comments); KIND is cidr, domain or string; repeatable",
            HelpName = "NAME=KIND:FILE",
            AllowMultipleArgumentsPerToken = false,
        };
        option.Validators.Add(result =>
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (string text in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (!TryParseSet(text, out string name, out _, out _, out string? error))
                {
                    result.AddError(error!);
                    return;
                }

                if (!names.Add(name))
                {
                    result.AddError($"--set {name} is given twice");
                    return;
                }
            }
        });
        return option;
    }
}
