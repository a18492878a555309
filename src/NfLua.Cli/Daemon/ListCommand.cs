using System.CommandLine;
using NfLua.Cli.Output;
using NfLua.Control;

namespace NfLua.Cli.Daemon;

/// <summary><c>nflua-ctl list</c>.</summary>
internal static class ListCommand
{
    public static Command Create(GlobalOptions globals, CliEnvironment environment)
    {
        var json = GlobalOptions.CreateJson();
        var command = new Command(
            "list",
            """
            Show the loaded rules per queue, in evaluation order, with their limits and parameters (--json adds the
            compile limits).
            Example: nflua-ctl list --json
            """)
        {
            json,
        };
        globals.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
            new DaemonCall(globals, environment).RunAsync(parse, "list", new ListRequest(), result =>
            {
                var list = (ListResult)result;
                if (parse.GetValue(json))
                {
                    JsonOutput.Write(environment.Out, list, CliJsonContext.Default.ListResult);
                    return;
                }

                Render(list, environment.Out);
            }, cancellationToken));
        return command;
    }

    private static void Render(ListResult list, TextWriter output)
    {
        if (list.Rules.Count == 0)
        {
            output.WriteLine("no rules loaded");
            return;
        }

        var table = new TextTable("QUEUE", "#", "RULE", "MAX-INSTRUCTIONS", "MAX-MEMORY", "ON-ERROR", "FROM", "SCRIPT", "PARAMS", "MODE").AlignRight(0, 1, 3, 4);
        foreach (RuleInfo rule in list.Rules.OrderBy(r => r.Queue).ThenBy(r => r.Position))
        {
            table.Add(
                Numbers.Plain(rule.Queue),
                Numbers.Plain(rule.Position),
                rule.Name,
                Numbers.Count(rule.MaxInstructions),
                Numbers.Bytes(rule.MaxMemory),
                RuleText.OnError(rule.OnError),
                rule.Origin ?? "-",
                rule.ScriptPath ?? "-",
                rule.Params is { } parameters ? parameters.GetRawText() : "-",
                rule.Mode ?? "-");
        }

        table.WriteTo(output);
    }
}
