using System.CommandLine;

namespace NfLua.Cli.Completion;

/// <summary><c>nflua-ctl completion-script bash</c>, hidden: the build runs it to write the completion file that the
/// package installs (NfLua.Cli.csproj, packaging/build-deb); operators never need to type it.</summary>
internal static class CompletionScriptCommand
{
    public const string Name = "completion-script";

    public static Command Create(RootCommand root, CliEnvironment environment)
    {
        var shell = new Argument<string>("SHELL") { Description = "the shell: bash" };
        shell.AcceptOnlyFromAmong("bash");
        var command = new Command(Name, "Print the shell completion script written from the command tree.") { shell };
        command.Hidden = true;
        command.SetAction(_ =>
        {
            environment.Out.Write(BashCompletion.Script(root));
            return ExitCodes.Success;
        });
        return command;
    }
}
