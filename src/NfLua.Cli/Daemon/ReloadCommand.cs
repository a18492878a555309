using System.CommandLine;
using NfLua.Cli.Output;
using NfLua.Control;

namespace NfLua.Cli.Daemon;

/// <summary><c>nflua-ctl reload</c>.</summary>
internal static class ReloadCommand
{
    public static Command Create(GlobalOptions globals, CliEnvironment environment)
    {
        var json = GlobalOptions.CreateJson();
        var command = new Command(
            "reload",
            """
            Make the daemon read its configuration again and apply it whole (as SIGHUP does); an invalid configuration changes nothing.
            Example: nflua-ctl reload
            """)
        {
            json,
        };
        globals.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
            new DaemonCall(globals, environment).RunAsync(parse, "reload", new ReloadRequest(), result =>
            {
                var reloaded = (ReloadResult)result;
                if (parse.GetValue(json))
                {
                    JsonOutput.Write(environment.Out, reloaded, CliJsonContext.Default.ReloadResult);
                }
                else
                {
                    environment.Out.WriteLine(
                        $"reloaded {reloaded.ConfigPath ?? "the built-in defaults"}: {Numbers.Plain(reloaded.Rules)} rules on {Numbers.Plain(reloaded.Queues)} queues");
                    if (reloaded.BoundQueues is { Count: > 0 } bound)
                    {
                        environment.Out.WriteLine($"bound {RuleText.Queues(bound)}");
                    }

                    if (reloaded.UnboundQueues is { Count: > 0 } unbound)
                    {
                        environment.Out.WriteLine($"unbound {RuleText.Queues(unbound)} (no longer configured, no loaded rule on it)");
                    }

                    foreach (string notBound in reloaded.NotBound ?? [])
                    {
                        environment.Out.WriteLine($"not bound: {notBound}");
                    }

                    foreach (string pending in reloaded.PendingRestart ?? [])
                    {
                        environment.Out.WriteLine($"pending restart: {pending} (the queue keeps its bound settings until nfluad restarts)");
                    }
                }
            }, cancellationToken));
        return command;
    }
}
