using System.CommandLine;
using System.CommandLine.Invocation;
using NfLua.Cli.Completion;
using NfLua.Cli.Daemon;
using NfLua.Cli.Offline;
using NfLua.CommandLine;

namespace NfLua.Cli;

/// <summary>nflua-ctl's entry point, callable in-process with its own output writers.</summary>
internal static class Cli
{
    public const string ProgramName = "nflua-ctl";

    /// <summary>Parses <paramref name="args"/> and runs the command.</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="output">Where results go.</param>
    /// <param name="error">Where errors go.</param>
    /// <param name="getEnvironmentVariable">Reads the environment (NFLUA_SOCKET); the process's when null.</param>
    /// <param name="cancellationToken">Stops a running command.</param>
    /// <returns>One of <see cref="ExitCodes"/>.</returns>
    public static Task<int> RunAsync(
        string[] args,
        TextWriter output,
        TextWriter error,
        Func<string, string?>? getEnvironmentVariable = null,
        CancellationToken cancellationToken = default)
    {
        var environment = new CliEnvironment(output, error, getEnvironmentVariable ?? Environment.GetEnvironmentVariable);
        RootCommand root = CreateRoot(environment);
        ParseResult parse = root.Parse(args);
        var invocation = new InvocationConfiguration { Output = output, Error = error };

        if (parse.Action is ParseErrorAction)
        {
            UsageErrors.Write(parse, ProgramName, error);
            return Task.FromResult(ExitCodes.UsageError);
        }

        return parse.InvokeAsync(invocation, cancellationToken);
    }

    internal static RootCommand CreateRoot(CliEnvironment environment)
    {
        var globals = new GlobalOptions();
        var root = new RootCommand(
            """
            nflua-ctl: drives the NfLua daemon (nfluad) over its control socket, and tries rules on captures offline.
            Rules are Lua scripts defining filter(pkt); see the README for the verdicts they may return.
            """)
        {
            globals.Socket,
            globals.Timeout,
            LoadCommand.Create(globals, environment),
            UnloadCommand.Create(globals, environment),
            ModeCommand.Create(globals, environment, monitor: false),
            ModeCommand.Create(globals, environment, monitor: true),
            ListCommand.Create(globals, environment),
            StatsCommand.Create(globals, environment),
            StatusCommand.Create(globals, environment),
            ReloadCommand.Create(globals, environment),
            SetCommand.Create(globals, environment),
            TopCommand.Create(globals, environment),
            EventsCommand.Create(globals, environment),
            TestCommand.Create(environment),
        };

        root.Subcommands.Add(CompletionScriptCommand.Create(root, environment));
        HelpWithSynopsisAction.Install(root, ProgramName, ExitCodes.HelpText + Environment.NewLine + Environment.NewLine + CompletionHelp.Text);
        return root;
    }
}
