using System.CommandLine;
using NfLua.Cli.Output;
using NfLua.Control;

namespace NfLua.Cli.Daemon;

/// <summary><c>nflua-ctl unload NAME</c>.</summary>
internal static class UnloadCommand
{
    public static Command Create(GlobalOptions globals, CliEnvironment environment)
    {
        var name = new Argument<string>("NAME") { Description = "the rule to remove" };
        var json = GlobalOptions.CreateJson();
        var command = new Command(
            "unload",
            """
            Remove rule NAME; its queue's other rules keep running. An unknown NAME is an error (exit code 1).
            Example: nflua-ctl unload ssh-banner
            """)
        {
            name, json,
        };
        globals.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
            new DaemonCall(globals, environment).RunAsync(parse, "unload", new UnloadRequest(parse.GetValue(name)!), result =>
            {
                var unloaded = (UnloadResult)result;
                if (parse.GetValue(json))
                {
                    JsonOutput.Write(environment.Out, unloaded, CliJsonContext.Default.UnloadResult);
                }
                else
                {
                    environment.Out.WriteLine($"unloaded rule {unloaded.Name} from {RuleText.Queues(unloaded.Queues ?? [unloaded.Queue])}");
                }
            }, cancellationToken));
        return command;
    }
}
