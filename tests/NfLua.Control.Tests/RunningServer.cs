using System.Net.Sockets;

namespace NfLua.Control.Tests;

/// <summary>A real <see cref="ControlServer"/> on a temporary socket, with a small scripted handler.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    public static readonly StatusResult Status = new("test", 1, 2, [new QueueStatus(0, true, 1024, 65535, false, false, false, true)]);

    private readonly TempDirectory _directory = new();

    public RunningServer(
        int maxConnections = 64,
        TimeSpan? idleTimeout = null,
        TimeSpan? frameTimeout = null,
        uint? groupId = null,
        Func<ControlRequest, CancellationToken, ValueTask<ControlResponse>>? handler = null)
    {
        SocketPath = _directory.File("ctl/nflua.sock");
        Options = new ControlServerOptions
        {
            SocketPath = SocketPath,
            GroupId = groupId,
            MaxConnections = maxConnections,
            IdleTimeout = idleTimeout ?? TimeSpan.FromSeconds(30),
            FrameTimeout = frameTimeout ?? TimeSpan.FromSeconds(5),
        };
        Server = new ControlServer(Options, handler ?? AnswerAsync);
        Server.Start();
    }

    public string DirectoryPath => _directory.Path;

    public string SocketPath { get; }

    public ControlServerOptions Options { get; }

    public ControlServer Server { get; }

    public static ValueTask<ControlResponse> AnswerAsync(ControlRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(request.Command switch
        {
            StatusRequest => ControlResponse.Success(request.Id, Status),
            UnloadRequest { Name: "boom" } => throw new InvalidOperationException("handler exploded"),
            UnloadRequest unload => ControlResponse.Failure(request.Id, ControlErrorName.NotFound, $"no rule named {unload.Name}"),
            LoadRequest load => ControlResponse.Success(request.Id, new LoadResult(new RuleInfo(load.Name, load.Queue, 0, 1, 2, RuleFailureVerdict.Accept), false)),
            _ => ControlResponse.Failure(request.Id, ControlErrorName.Unsupported, "not in this test"),
        });

    /// <summary>One request on a new connection, as nflua-ctl sends it (a busy server is retried).</summary>
    public async Task<ControlResponse> SendAsync(ControlCommand command) =>
        (await ControlClient.ExchangeAsync(SocketPath, [command], TestContext.Current.CancellationToken)).Single();

    /// <summary>One request on a new connection, without retrying a busy server.</summary>
    public async Task<ControlResponse> SendOnceAsync(ControlCommand command)
    {
        await using ControlClient client = await ControlClient.ConnectAsync(SocketPath, TestContext.Current.CancellationToken);
        return await client.SendAsync(command, TestContext.Current.CancellationToken);
    }

    public Socket ConnectRaw()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(SocketPath));
        return socket;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _directory.Dispose();
    }
}
