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
            await using ControlClient client = await ControlClient.ConnectAsync(socketPath, timer.Token).ConfigureAwait(false);
            foreach (ControlCommand command in commands)
            {
                ControlResponse response = await client.SendAsync(command, timer.Token).ConfigureAwait(false);
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
            environment.Err.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"nflua-ctl: {op}: the daemon at {socketPath} did not answer within {timeout.TotalSeconds:0.###} s (see --timeout)"));
            return ExitCodes.DaemonUnreachable;
        }
        catch (DaemonUnreachableException ex)
        {
            environment.Err.WriteLine($"nflua-ctl: {op}: {ex.Message}");
            return ExitCodes.DaemonUnreachable;
        }
        catch (ControlProtocolException ex)
        {
            environment.Err.WriteLine($"nflua-ctl: {op}: the daemon at {socketPath} sent an answer that breaks the protocol: {ex.Message}");
            return ExitCodes.DaemonError;
        }

        if (failed is not null)
        {
            environment.Err.WriteLine(ControlErrorText.Format(op, failed.Error!));
            return ExitCodes.DaemonError;
        }

        render(results);
        return ExitCodes.Success;
    }
}
