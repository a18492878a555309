using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;

namespace NfLua.CommandLine;

/// <summary>How nfluad and nflua-ctl report a command line they cannot parse: one line per problem, a suggestion for a
/// mistyped command or option, then where to read the usage. Both exit with 2 after it.</summary>
internal static class UsageErrors
{
    /// <summary>The exit code of every usage error, in both programs.</summary>
    public const int ExitCode = 2;

    public static void Write(ParseResult parse, string program, TextWriter error)
    {
        foreach (string problem in Problems(parse))
        {
            error.WriteLine($"{program}: {problem}");
        }

        string path = string.Join(' ', CommandPath(parse.CommandResult).Prepend(program));
        error.WriteLine($"Run '{path} --help' for usage.");
    }

    internal static IEnumerable<string> Problems(ParseResult parse)
    {
        Command command = parse.CommandResult.Command;
        if (parse.UnmatchedTokens.Count > 0)
        {
            // The first stray word explains the others ("nflua-ctl lod x": x was meant for lod), so it is named alone.
            string token = parse.UnmatchedTokens[0];
            if (token.StartsWith('-'))
            {
                return [$"unknown option '{token}'{Suggestion(token, OptionNames(parse.CommandResult))}"];
            }

            string[] commands = [.. command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)];
            return commands.Length > 0
                ? [$"unknown command '{token}'{Suggestion(token, commands)}"]
                : [$"unexpected argument '{token}'"];
        }

        if (command.Action is null && command.Subcommands.Any(c => !c.Hidden))
        {
            return [$"a command is required: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}"];
        }

        return parse.Errors.Select(e => e.Message).Distinct();
    }

    /// <summary>" (did you mean load?)" when one to three names are close to <paramref name="typed"/>, else "".</summary>
    internal static string Suggestion(string typed, IEnumerable<string> names)
    {
        // A typo costs one edit per three characters at most; a prefix ("sta") is a typo too.
        int allowed = Math.Max(1, typed.TrimStart('-').Length / 3);
        string[] close = [.. names.Distinct()
            .Select(name => (name, distance: EditDistance(typed, name)))
            .Where(c => c.distance <= allowed || (typed.Length > 2 && c.name.StartsWith(typed, StringComparison.Ordinal)))
            .OrderBy(c => c.distance)
            .ThenBy(c => c.name, StringComparer.Ordinal)
            .Select(c => c.name)];
        return close.Length is > 0 and <= 3 ? $" (did you mean {string.Join(" or ", close)}?)" : "";
    }

    private static IEnumerable<string> OptionNames(CommandResult result)
    {
        // The command's own options, and the recursive options of the commands above it (--help).
        for (SymbolResult? current = result; current is CommandResult commandResult; current = current.Parent)
        {
            foreach (Option option in commandResult.Command.Options.Where(o => !o.Hidden && (current == result || o.Recursive || o is HelpOption)))
            {
                yield return option.Name;
                foreach (string alias in option.Aliases)
                {
                    yield return alias;
                }
            }
        }
    }

    private static Stack<string> CommandPath(CommandResult result)
    {
        var names = new Stack<string>();
        for (CommandResult? current = result; current?.Parent is CommandResult parent; current = parent)
        {
            names.Push(current.Command.Name);
        }

        return names;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.</summary>
    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
