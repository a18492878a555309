using System.Collections.Concurrent;
using NfLua.Control;

namespace NfLua.Cli.Tests;

/// <summary>A real <see cref="ControlServer"/> on a temporary socket whose answers the test chooses; it records every request.</summary>
internal sealed class FakeDaemon : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ControlServer _server;

    public FakeDaemon(Func<ControlCommand, CancellationToken, Task<ControlResponse>> answer)
    {
        SocketPath = _directory.File("nflua.sock");
        _server = new ControlServer(new ControlServerOptions { SocketPath = SocketPath }, async (request, cancellationToken) =>
        {
            Requests.Enqueue(request.Command);
            ControlResponse response = await answer(request.Command, cancellationToken);
            return response with { Id = request.Id };
        });
        _server.Start();
    }

    public FakeDaemon(Func<ControlCommand, ControlResponse> answer)
        : this((command, _) => Task.FromResult(answer(command)))
    {
    }

    public string SocketPath { get; }

    public TempDirectory Directory => _directory;

    public ConcurrentQueue<ControlCommand> Requests { get; } = new();

    public static ControlResponse Ok(ControlResult result) => ControlResponse.Success(0, result);

    public static ControlResponse Fail(ControlErrorName name, string message) => ControlResponse.Failure(0, name, message);

    public Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync(null, ["--socket", SocketPath, .. args]);

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _directory.Dispose();
    }
}
