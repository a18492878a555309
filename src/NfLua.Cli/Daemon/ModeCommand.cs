using System.CommandLine;
using NfLua.Cli.Output;
using NfLua.Control;

namespace NfLua.Cli.Daemon;

/// <summary><c>nflua-ctl enforce NAME</c> and <c>nflua-ctl monitor NAME</c>: switch a rule's mode, keeping its state.</summary>
internal static class ModeCommand
{
    public static Command Create(GlobalOptions globals, CliEnvironment environment, bool monitor)
    {
        var name = new Argument<string>("NAME") { Description = "the rule to switch" };
        var json = GlobalOptions.CreateJson();
        var command = new Command(
            monitor ? "monitor" : "enforce",
            monitor
                ? """
                  Put rule NAME in monitor mode on every queue it is on: it keeps running and being counted (stats shows what it
                  would have done), but its verdicts, marks and writes are not applied: each packet goes on as if it had passed.
                  Its state (flows, globals) is kept. A rule loaded with nflua-ctl keeps the mode across restarts.
                  Example: nflua-ctl monitor ssh-banner
                  """
                : """
                  Make rule NAME apply its verdicts again (leave monitor mode) on every queue it is on, keeping its state.
                  A rule loaded with nflua-ctl keeps the mode across restarts.
                  Example: nflua-ctl enforce ssh-banner
                  """)
        {
            name, json,
        };
        globals.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
            new DaemonCall(globals, environment).RunAsync(parse, command.Name, new ModeRequest(parse.GetValue(name)!, monitor), result =>
            {
                var switched = (ModeResult)result;
                if (parse.GetValue(json))
                {
                    JsonOutput.Write(environment.Out, switched, CliJsonContext.Default.ModeResult);
                }
                else
                {
                    environment.Out.WriteLine(switched.Mode == "monitor"
                        ? $"rule {switched.Name} on {RuleText.Queues(switched.Queues)} now monitors: its verdicts are counted, not applied"
                        : $"rule {switched.Name} on {RuleText.Queues(switched.Queues)} now enforces its verdicts");
                }
            }, cancellationToken));
        return command;
    }
}
