using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace NfLua.Control;

/// <summary>The daemon's side of the control socket: accepts clients, checks who they are, reads request frames and
/// answers each with the daemon's handler.</summary>
/// <remarks>
/// Every failure is contained in its connection: garbage, oversized or half-sent frames, idle clients and handler
/// exceptions close or answer that one client, and the server keeps accepting. The handler may be called from several
/// connections at once.
/// </remarks>
public sealed partial class ControlServer : IAsyncDisposable
{
    private readonly ControlServerOptions _options;
    private readonly Func<ControlRequest, CancellationToken, ValueTask<ControlResponse>> _handler;
    private readonly ILogger _logger;
    private readonly ControlAccessPolicy _policy;
    private readonly ConcurrentDictionary<long, ControlConnection> _connections = new();
    private readonly ConcurrentDictionary<long, Task> _connectionTasks = new();
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task? _acceptLoop;
    private long _nextConnectionId;
    private int _disposed;

    /// <summary>Creates the server; nothing is bound until <see cref="Start"/>.</summary>
    /// <param name="options">Socket path, group and limits.</param>
    /// <param name="handler">Answers one request; exceptions it throws become <see cref="ControlErrorName.Internal"/> errors.</param>
    /// <param name="logger">Where connection problems are logged; nothing is logged when null.</param>
    /// <exception cref="ArgumentException">An option is out of range (empty path, no connection slot, a non-positive timeout).</exception>
    public ControlServer(
        ControlServerOptions options,
        Func<ControlRequest, CancellationToken, ValueTask<ControlResponse>> handler,
        ILogger<ControlServer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        options.Validate();
        _options = options;
        _handler = handler;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _policy = new ControlAccessPolicy(options.GroupId, options.GroupId is uint group ? GroupFile.NameOf(group) : null);
    }

    /// <summary>The path of the socket.</summary>
    public string SocketPath => _options.SocketPath;

    /// <summary>Connections being served now (authorized clients only).</summary>
    internal int ConnectionCount => _connections.Count;

    /// <summary>Creates the socket (parent directory, stale socket removed, mode 0660, the configured group) and starts
    /// accepting clients in the background.</summary>
    /// <exception cref="IOException">The path is taken by another running server or by something that is not a socket,
    /// its directory cannot be created or written, the socket cannot be bound, or the permissions cannot be set; the
    /// message names the path and says why in one sentence.</exception>
    /// <exception cref="InvalidOperationException">The server was already started.</exception>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_listener is not null)
        {
            throw new InvalidOperationException("the control server is already started");
        }

        _listener = CreateListener();
        _acceptLoop = Task.Run(AcceptLoopAsync);
        Log.Listening(_logger, SocketPath);
    }

    /// <summary>Stops accepting, closes every connection, waits for their handlers, and removes the socket file.</summary>
    /// <returns>A task that completes when everything is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        await Task.WhenAll(_connectionTasks.Values).ConfigureAwait(false);
        if (_listener is not null)
        {
            TryDeleteSocketFile();
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        CancellationToken stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener!.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException && stopping.IsCancellationRequested)
            {
                break;
            }
            catch (SocketException ex)
            {
                // EMFILE and friends: pause instead of spinning, then keep serving.
                Log.AcceptFailed(_logger, ex);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            try
            {
                Admit(client);
            }
            catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
            {
                Log.AdmitFailed(_logger, ex);
                client.Dispose();
            }
        }
    }
}
