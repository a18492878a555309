using System.CommandLine;
using System.CommandLine.Invocation;

namespace NfLua.CommandLine;

/// <summary>The standard help, then the synopsis (every command's on the root's help, the command's own on a
/// subcommand's), then, on the root's help only, <paramref name="rootFooter"/> (exit codes, completion): repeated under
/// every subcommand it would only push the command's own help off the screen.</summary>
internal sealed class HelpWithSynopsisAction(SynchronousCommandLineAction standardHelp, string program, string rootFooter) : SynchronousCommandLineAction
{
    /// <summary>Puts this action on <paramref name="root"/>'s help option, which every subcommand inherits.</summary>
    public static void Install(RootCommand root, string program, string rootFooter)
    {
        System.CommandLine.Help.HelpOption help = root.Options.OfType<System.CommandLine.Help.HelpOption>().Single();
        help.Action = new HelpWithSynopsisAction((SynchronousCommandLineAction)help.Action!, program, rootFooter);
    }

    public override int Invoke(ParseResult parseResult)
    {
        int result = standardHelp.Invoke(parseResult);
        TextWriter output = parseResult.InvocationConfiguration.Output;
        var root = (RootCommand)parseResult.RootCommandResult.Command;
        Command command = parseResult.CommandResult.Command;
        output.WriteLine("Synopsis:");
        Command? group = parseResult.CommandResult.Parent is System.CommandLine.Parsing.CommandResult { Command: var parent } && parent != root ? parent : null;
        IEnumerable<string> lines = command == root ? Synopsis.Lines(root, program)
            : command.Subcommands.Any(c => !c.Hidden) ? command.Subcommands.Where(c => !c.Hidden).Select(c => Synopsis.Line(root, c, program, command.Name))
            : [Synopsis.Line(root, command, program, group?.Name)];
        foreach (string line in lines)
        {
            output.WriteLine("  " + line);
        }

        if (command == root && rootFooter.Length > 0)
        {
            output.WriteLine();
            output.WriteLine(rootFooter);
        }

        return result;
    }
}
