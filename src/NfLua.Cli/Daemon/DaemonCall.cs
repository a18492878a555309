using System.CommandLine;
using System.Globalization;
using NfLua.Control;

namespace NfLua.Cli.Daemon;

/// <summary>One request to the daemon with the global options applied: the socket path, the timeout, and exit codes
/// for everything that can go wrong on the way.</summary>
internal sealed class DaemonCall(GlobalOptions globals, CliEnvironment environment)
{
    /// <summary>Sends <paramref name="command"/> (named <paramref name="op"/> in messages) and renders a success with <paramref name="render"/>.</summary>
    /// <returns>The exit code.</returns>
    public Task<int> RunAsync(ParseResult parse, string op, ControlCommand command, Action<ControlResult> render, CancellationToken cancellationToken) =>
        RunAsync(parse, op, [command], results => render(results[0]), cancellationToken);

    /// <summary>Sends <paramref name="commands"/> one after the other on one connection and renders their results
    /// together; the first error ends the call.</summary>
    /// <returns>The exit code.</returns>
    public async Task<int> RunAsync(ParseResult parse, string op, IReadOnlyList<ControlCommand> commands, Action<IReadOnlyList<ControlResult>> render, CancellationToken cancellationToken)
    {
        string socketPath = ControlSocketPath.Resolve(parse.GetValue(globals.Socket), environment.GetEnvironmentVariable);
        TimeSpan timeout = TimeSpan.FromSeconds(parse.GetValue(globals.Timeout));

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        var results = new List<ControlResult>(commands.Count);
        ControlResponse? failed = null;
        try
        {
            foreach (ControlResponse response in await ControlClient.ExchangeAsync(socketPath, commands, timer.Token).ConfigureAwait(false))
            {
                if (!response.IsOk)
                {
                    failed = response;
                    break;
                }

                results.Add(response.Result);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Fail(parse, op, ExitCodes.DaemonUnreachable, "Timeout", string.Create(CultureInfo.InvariantCulture,
                $"the daemon at {socketPath} did not answer within {timeout.TotalSeconds:0.###} s (see --timeout)"));
        }
        catch (DaemonUnreachableException ex)
        {
            return Fail(parse, op, ExitCodes.DaemonUnreachable, "Unreachable", ex.Message);
        }
        catch (ControlProtocolException ex)
        {
            return Fail(parse, op, ExitCodes.DaemonError, "ProtocolError", $"the daemon at {socketPath} sent an answer that breaks the protocol: {ex.Message}");
        }

        if (failed is not null)
        {
            ControlError error = failed.Error!;
            environment.Err.WriteLine(ControlErrorText.Format(op, error));
            if (JsonRequested(parse))
            {
                JsonError(op, ExitCodes.DaemonError, error.Name.ToString(), error.Message, error.File, error.Line);
            }

            return ExitCodes.DaemonError;
        }

        render(results);
        return ExitCodes.Success;
    }

    /// <summary>One line on stderr for people; with --json, the same error as JSON on stdout for scripts.</summary>
    private int Fail(ParseResult parse, string op, int exitCode, string name, string message)
    {
        environment.Err.WriteLine($"nflua-ctl: {op}: {message}");
        if (JsonRequested(parse))
        {
            JsonError(op, exitCode, name, message, null, null);
        }

        return exitCode;
    }

    /// <summary>True when the command has --json and it was given.</summary>
    private static bool JsonRequested(ParseResult parse) =>
        parse.CommandResult.Command.Options.FirstOrDefault(o => o.Name == "--json") is Option<bool> json && parse.GetValue(json);

    // {"error":{"op":"load","kind":"CompileError","message":"...","file":"x.lua","line":3},"exitCode":1}
    private void JsonError(string op, int exitCode, string name, string message, string? file, int? line)
    {
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("op", op);
            writer.WriteString("kind", name); // not "name": the completion script reads rule and set names from --json output
            writer.WriteString("message", message);
            if (file is not null)
            {
                writer.WriteString("file", file);
            }

            if (line is int l)
            {
                writer.WriteNumber("line", l);
            }

            writer.WriteEndObject();
            writer.WriteNumber("exitCode", exitCode);
            writer.WriteEndObject();
        }

        environment.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
