using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace NfLua.Cli.Completion;

/// <summary>
/// Writes nflua-ctl's bash completion from its command tree: commands, options, the words an option accepts, files
/// for scripts and captures, and rule names and queue numbers asked of the running daemon (through
/// <c>nflua-ctl list/status --json</c>, one second at most). The build writes it beside the program and the package
/// installs it, so completion needs neither .NET's dotnet-suggest nor anything else.
/// </summary>
internal static class BashCompletion
{
    // The helpers the generated function calls; COMP_WORDS[0] is the nflua-ctl being completed (dist/nflua-ctl too).
    private const string Helpers =
        """
        _nflua_ctl_words() { # WORDS: those that start with the word being completed
            local IFS=$' \t\n'
            COMPREPLY=($(compgen -W "$1" -- "$cur"))
        }

        _nflua_ctl_files() {
            type compopt &>/dev/null && compopt -o filenames
            local IFS=$'\n'
            COMPREPLY=($(compgen -f -- "$cur"))
        }

        _nflua_ctl_daemon() { # rules | queues: asked of the daemon this command line talks to, quietly
            local socket=() i
            for ((i = 1; i < COMP_CWORD; i++)); do
                [[ ${COMP_WORDS[i]} == --socket ]] && socket=(--socket "${COMP_WORDS[i + 1]}")
            done
            case $1 in
            rules) "${COMP_WORDS[0]}" "${socket[@]}" --timeout 1 list --json 2>/dev/null | sed -n 's/^ *"name": "\([^"]*\)",\{0,1\}$/\1/p' ;;
            queues) "${COMP_WORDS[0]}" "${socket[@]}" --timeout 1 status --json 2>/dev/null | sed -n 's/^ *"queue": \([0-9]*\),\{0,1\}$/\1/p' ;;
            sets) "${COMP_WORDS[0]}" "${socket[@]}" --timeout 1 set list --json 2>/dev/null | sed -n 's/^ *"name": "\([^"]*\)",\{0,1\}$/\1/p' ;;
            esac
        }
        """;

    public static string Script(RootCommand root)
    {
        Command[] commands = [.. root.Subcommands.Where(c => !c.Hidden)];
        var script = new StringBuilder();
        string version = typeof(BashCompletion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        script.Append(CultureInfo.InvariantCulture, $"# bash completion for nflua-ctl {version}, written from its command tree when it was built: do not edit.\n");
        script.Append("# Rule names and queue numbers come from the running daemon (nflua-ctl list/status), when it answers.\n\n");
        script.Append(Helpers.ReplaceLineEndings("\n")).Append("\n\n");

        // A command with subcommands (set list, set show...) is a group: its next word names the subcommand.
        (string Key, Command Command)[] all = [.. commands.SelectMany(c => Visible(c).Select(s => ($"{c.Name} {s.Name}", s)).Prepend((c.Name, c)))];
        string groups = string.Join(' ', commands.Where(c => Visible(c).Any()).Select(c => c.Name));
        Dictionary<string, string?> values = OptionValues([root, .. all.Select(a => a.Command)]);
        script.Append("_nflua_ctl() {\n");
        script.Append("    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} command= arg=0 i\n");
        script.Append(CultureInfo.InvariantCulture, $"    local groups=\" {groups} \"\n");
        script.Append("    COMPREPLY=()\n");
        script.Append("    for ((i = 1; i < COMP_CWORD; i++)); do\n");
        script.Append("        case ${COMP_WORDS[i]} in\n");
        script.Append(CultureInfo.InvariantCulture, $"        {string.Join('|', values.Keys)}) i=$((i + 1)) ;; # an option and its value\n");
        script.Append("        -*) ;;\n");
        script.Append("        *) if [[ -z $command ]]; then command=${COMP_WORDS[i]}\n");
        script.Append("           elif [[ $groups == *\" $command \"* ]]; then command=\"$command ${COMP_WORDS[i]}\"\n");
        script.Append("           else arg=$((arg + 1)); fi ;;\n");
        script.Append("        esac\n");
        script.Append("    done\n");

        script.Append("    case $prev in\n");
        foreach (IGrouping<string?, string> group in values.GroupBy(v => v.Value, v => v.Key))
        {
            script.Append(CultureInfo.InvariantCulture, $"    {string.Join('|', group)}) {(group.Key is null ? "" : group.Key + "; ")}return ;;\n");
        }

        script.Append("    esac\n");
        script.Append("    case $command in\n");
        script.Append(CultureInfo.InvariantCulture, $"    '') _nflua_ctl_words \"{string.Join(' ', commands.Select(c => c.Name).Concat(OptionWords(root)))}\" ;;\n");
        foreach ((string key, Command command) in all)
        {
            script.Append(CultureInfo.InvariantCulture, $"    '{key}')\n");
            script.Append(CultureInfo.InvariantCulture, $"        if [[ $cur == -* ]]; then _nflua_ctl_words \"{string.Join(' ', OptionWords(command))}\"; return; fi\n");
            if (Visible(command).Any())
            {
                script.Append(CultureInfo.InvariantCulture, $"        _nflua_ctl_words \"{string.Join(' ', Visible(command).Select(c => c.Name))}\"\n");
            }

            Argument[] arguments = [.. command.Arguments.Where(a => !a.Hidden)];
            if (arguments.Length > 0)
            {
                script.Append("        case $arg in\n");
                for (int i = 0; i < arguments.Length; i++)
                {
                    if (ValueCompletion.Bash(arguments[i].HelpName ?? arguments[i].Name) is { } complete)
                    {
                        script.Append(CultureInfo.InvariantCulture, $"        {i}) {complete} ;;\n");
                    }
                }

                script.Append("        esac\n");
            }

            script.Append("        ;;\n");
        }

        script.Append("    esac\n");
        script.Append("}\n\n");
        script.Append("complete -F _nflua_ctl nflua-ctl\n");
        return script.ToString();
    }

    /// <summary>Every option that takes a value (each of its names), with what completes the value.</summary>
    private static Dictionary<string, string?> OptionValues(IEnumerable<Command> commands)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (Option option in commands.SelectMany(c => c.Options).Distinct().Where(o => !o.Hidden && o.ValueType != typeof(bool) && o is not HelpOption and not VersionOption))
        {
            string? complete = ValueCompletion.Bash(option.HelpName ?? option.Name);
            foreach (string name in option.Aliases.Prepend(option.Name))
            {
                if (values.TryGetValue(name, out string? other) && other != complete)
                {
                    throw new InvalidOperationException($"two options named {name} complete differently");
                }

                values[name] = complete;
            }
        }

        return values;
    }

    private static IEnumerable<Command> Visible(Command command) => command.Subcommands.Where(c => !c.Hidden);

    private static IEnumerable<string> OptionWords(Command command) =>
        command.Options.Where(o => !o.Hidden && o is not HelpOption).SelectMany(o => o.Aliases.Prepend(o.Name)).Append("--help");
}
