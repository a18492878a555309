using System.Net.Sockets;

namespace NfLua.Control;

/// <summary>The CLI's side of the control socket: one connection, requests answered in order.</summary>
public sealed class ControlClient : IAsyncDisposable, IDisposable
{
    private readonly NetworkStream _stream;
    private int _lastId;

    private ControlClient(string socketPath, NetworkStream stream)
    {
        SocketPath = socketPath;
        _stream = stream;
    }

    /// <summary>The path connected to.</summary>
    public string SocketPath { get; }

    /// <summary>Connects to the daemon's control socket.</summary>
    /// <param name="socketPath">The socket path, typically from <see cref="ControlSocketPath.Resolve"/>.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>The connected client.</returns>
    /// <exception cref="DaemonUnreachableException">No socket at the path, nobody listening, or no permission to connect.</exception>
    public static async Task<ControlClient> ConnectAsync(string socketPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(socketPath);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
            return new ControlClient(socketPath, new NetworkStream(socket, ownsSocket: true));
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            string reason = ex.SocketErrorCode switch
            {
                SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported => $"no control socket at {socketPath} (is nfluad running?)",
                SocketError.ConnectionRefused => $"nothing is listening on {socketPath} (is nfluad running?)",
                SocketError.AccessDenied => $"permission denied on {socketPath} (root or the control group only)",
                _ => $"cannot connect to {socketPath}: {ex.Message}",
            };
            throw new DaemonUnreachableException(reason, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one request and waits for its answer.</summary>
    /// <param name="command">The operation and its arguments.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The daemon's response: a result, or an error the daemon chose to return (including a refusal
    /// such as <see cref="ControlErrorName.Forbidden"/>).</returns>
    /// <exception cref="DaemonUnreachableException">The connection closed before an answer arrived.</exception>
    /// <exception cref="ControlProtocolException">The answer breaks the protocol.</exception>
    public async Task<ControlResponse> SendAsync(ControlCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        int id = Interlocked.Increment(ref _lastId);
        byte[] body = ControlCodec.EncodeRequest(new ControlRequest(id, command));
        try
        {
            await ControlFraming.WriteFrameAsync(_stream, body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            // A daemon that refused us may have closed already; its refusal can still be waiting to be read.
        }

        byte[]? answer;
        try
        {
            answer = await ControlFraming.ReadFrameAsync(_stream, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            throw new DaemonUnreachableException($"the connection to {SocketPath} failed before an answer came: {ex.Message}", ex);
        }

        if (answer is null)
        {
            throw new DaemonUnreachableException($"the daemon at {SocketPath} closed the connection without answering");
        }

        ControlResponse response = ControlCodec.DecodeResponse(answer, command.Op);
        if (response.Id != id && response.Id != 0)
        {
            throw new ControlProtocolException(ControlErrorName.BadRequest, $"the daemon answered request {response.Id}, not request {id}");
        }

        return response;
    }

    /// <summary>Connects and sends <paramref name="commands"/> one after the other on one connection, stopping at the
    /// first error. When the daemon has every connection slot in use, it refuses (or closes an idle connection) with
    /// <see cref="ControlErrorName.Busy"/> before reading a request, so nothing was done: the exchange starts again
    /// after a pause (10 ms, doubling up to 500 ms) until it gets through or <paramref name="cancellationToken"/>
    /// ends it.</summary>
    /// <returns>The responses, one per command sent; only the last may be an error.</returns>
    /// <exception cref="DaemonUnreachableException">No daemon, or the connection closed before an answer.</exception>
    /// <exception cref="ControlProtocolException">An answer breaks the protocol.</exception>
    /// <exception cref="OperationCanceledException">Cancelled, including while waiting for a free slot.</exception>
    public static async Task<IReadOnlyList<ControlResponse>> ExchangeAsync(
        string socketPath, IReadOnlyList<ControlCommand> commands, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commands);
        TimeSpan pause = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            var responses = new List<ControlResponse>(commands.Count);
            await using (ControlClient client = await ConnectAsync(socketPath, cancellationToken).ConfigureAwait(false))
            {
                foreach (ControlCommand command in commands)
                {
                    ControlResponse response = await client.SendAsync(command, cancellationToken).ConfigureAwait(false);
                    responses.Add(response);
                    if (!response.IsOk)
                    {
                        break;
                    }
                }
            }

            // Only a refusal of the connection's first request is safe to repeat: later ones ran before it.
            if (responses.Count > 1 || responses[^1].Error?.Name != ControlErrorName.Busy)
            {
                return responses;
            }

            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(500).Ticks));
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
