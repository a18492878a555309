using System.CommandLine;
using System.Text;
using System.Text.Json;
using NfLua.Control;

namespace NfLua.Cli.Daemon;

/// <summary><c>nflua-ctl events</c>: the daemon's latest events, and with --follow each new one as it comes.</summary>
internal static class EventsCommand
{
    private const int FollowWaitMs = 1000;

    public static Command Create(GlobalOptions globals, CliEnvironment environment)
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "keep printing events as they come, until interrupted" };
        var rule = new Option<string?>("--rule") { Description = "only this rule's events", HelpName = "NAME" };
        var json = new Option<bool>("--json") { Description = "print each event as the event log writes it: one JSON object per line" };
        var command = new Command(
            "events",
            """
            Show the daemon's latest events (alerts, rule failures, limit hits, control actions, queue overflows), read
            over the control socket, oldest first; --follow goes on printing new ones as they come (Ctrl-C stops).
            Example: nflua-ctl events --follow --rule ssh-guard
            """)
        {
            follow,
            rule,
            json,
        };
        globals.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var call = new DaemonCall(globals, environment);
            string? name = parse.GetValue(rule);
            bool asJson = parse.GetValue(json);
            long? after = null;
            do
            {
                EventsResult? got = null;
                var request = new EventsRequest(after, name, after is null ? 0 : FollowWaitMs);
                int exit;
                try
                {
                    exit = await call.RunAsync(parse, "events", request, result => got = (EventsResult)result, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return ExitCodes.Success;
                }

                if (exit != ExitCodes.Success)
                {
                    return cancellationToken.IsCancellationRequested ? ExitCodes.Success : exit;
                }

                foreach (string line in got!.Events)
                {
                    environment.Out.WriteLine(asJson ? line : Text(line));
                }

                environment.Out.Flush();
                after = got.Next;
            }
            while (parse.GetValue(follow) && !cancellationToken.IsCancellationRequested);

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>An event as one readable line: its time and type, then its fields as key=value.</summary>
    internal static string Text(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        var line = new StringBuilder();
        line.Append(root.TryGetProperty("time", out JsonElement time) ? time.GetString() : "-");
        line.Append(' ');
        line.Append(root.TryGetProperty("type", out JsonElement type) ? type.GetString() : "event");
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (property.NameEquals("time") || property.NameEquals("type"))
            {
                continue;
            }

            line.Append(' ').Append(property.Name).Append('=').Append(Value(property.Value));
        }

        return line.ToString();
    }

    private static string Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Quoted(value.GetString()!),
        JsonValueKind.Object => "{" + string.Join(" ", value.EnumerateObject().Select(p => p.Name + "=" + Value(p.Value))) + "}",
        JsonValueKind.Array => string.Join(",", value.EnumerateArray().Select(Value)),
        _ => value.GetRawText(),
    };

    private static string Quoted(string text) =>
        text.Length > 0 && !text.Any(c => char.IsWhiteSpace(c) || c is '"' or '=' or '{' or '}' || char.IsControl(c))
            ? text
            : JsonSerializer.Serialize(text, Output.CliJsonContext.Default.String);

}
