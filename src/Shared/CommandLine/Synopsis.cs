using System.CommandLine;
using System.CommandLine.Help;

namespace NfLua.CommandLine;

/// <summary>
/// The synopsis of a program, written from its command tree: one line per command, such as
/// <c>nflua-ctl [--socket PATH] [--timeout SECONDS] unload NAME [--json]</c>. Help prints it, and a test holds the
/// README's and the man page's synopses to it, so the three cannot drift apart.
/// </summary>
internal static class Synopsis
{
    /// <summary>
    /// Every command's line: the root's when it runs something itself, then each visible subcommand's (a command
    /// with subcommands of its own, such as <c>set</c>, has a line per subcommand: <c>set list</c>, <c>set show</c>...).
    /// </summary>
    public static IEnumerable<string> Lines(RootCommand root, string program)
    {
        if (root.Action is not null)
        {
            yield return Line(root, null, program);
        }

        foreach (Command command in root.Subcommands.Where(c => !c.Hidden))
        {
            Command[] subcommands = [.. command.Subcommands.Where(c => !c.Hidden)];
            if (subcommands.Length == 0)
            {
                yield return Line(root, command, program);
                continue;
            }

            foreach (Command subcommand in subcommands)
            {
                yield return Line(root, subcommand, program, command.Name);
            }
        }
    }

    /// <summary>One command's line (<paramref name="command"/> null: the root's; <paramref name="group"/>: the command it is a subcommand of).</summary>
    public static string Line(RootCommand root, Command? command, string program, string? group = null)
    {
        var words = new List<string> { program };
        if (command is null)
        {
            words.AddRange(Options(root.Options));
            return string.Join(' ', words);
        }

        // Options the root shares with the command are written before its name, where they are usually typed.
        Option[] shared = [.. root.Options.Where(command.Options.Contains)];
        words.AddRange(Options(shared));
        if (group is not null)
        {
            words.Add(group);
        }

        words.Add(command.Name);
        words.AddRange(command.Arguments.Where(a => !a.Hidden).Select(Argument));
        words.AddRange(Options(command.Options.Where(o => !shared.Contains(o))));
        return string.Join(' ', words);
    }

    private static IEnumerable<string> Options(IEnumerable<Option> options) =>
        options.Where(o => !o.Hidden && o is not HelpOption and not VersionOption).Select(Option);

    private static string Option(Option option)
    {
        string text = option.ValueType == typeof(bool) ? option.Name : $"{option.Name} {option.HelpName ?? option.Name.TrimStart('-').ToUpperInvariant()}";
        text = option.Required ? text : $"[{text}]";
        return option.Arity.MaximumNumberOfValues > 1 ? text + "..." : text;
    }

    private static string Argument(Argument argument)
    {
        string text = argument.HelpName ?? argument.Name;
        text = argument.Arity.MaximumNumberOfValues > 1 ? text + "..." : text;
        return argument.Arity.MinimumNumberOfValues == 0 ? $"[{text}]" : text;
    }
}
