using System.CommandLine;
using System.CommandLine.Invocation;

namespace NfLua.Cli;

/// <summary>The standard help, followed by the exit codes and how to get shell completion.</summary>
internal sealed class HelpWithFooterAction(SynchronousCommandLineAction standardHelp) : SynchronousCommandLineAction
{
    public const string CompletionText =
        """
        Shell completion (System.CommandLine's standard mechanism, through dotnet-suggest):
          dotnet tool install -g dotnet-suggest
          dotnet-suggest script bash >~/.dotnet-suggest-shim.bash && echo '. ~/.dotnet-suggest-shim.bash' >>~/.bashrc   (zsh: script zsh)
          dotnet-suggest register --command-path "$(command -v nflua-ctl)"
          Completions by hand (what the shim asks):  nflua-ctl "[suggest:12]" "nflua-ctl lo"
        """;

    public override int Invoke(ParseResult parseResult)
    {
        int result = standardHelp.Invoke(parseResult);
        TextWriter output = parseResult.InvocationConfiguration.Output;
        output.WriteLine(ExitCodes.HelpText);
        output.WriteLine();
        output.WriteLine(CompletionText);
        return result;
    }
}
