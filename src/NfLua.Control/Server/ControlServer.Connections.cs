using System.Diagnostics;
using System.Net.Sockets;

namespace NfLua.Control;

public sealed partial class ControlServer
{
    private void Admit(Socket client)
    {
        PeerCredentials peer = PeerCredentialReader.Read(client);
        if (!_policy.IsAllowed(peer))
        {
            // Refused before a single byte is read from the client.
            Log.Refused(_logger, peer.UserId, peer.ProcessId);
            RefuseNow(client, ControlErrorName.Forbidden, _policy.Describe(peer));
            return;
        }

        if (_connections.Count >= _options.MaxConnections && !EvictLongestIdle())
        {
            Log.Busy(_logger, _options.MaxConnections);
            RefuseNow(client, ControlErrorName.Busy, $"busy: all {_options.MaxConnections} control connections are in use; try again");
            return;
        }

        long id = Interlocked.Increment(ref _nextConnectionId);
        var connection = new ControlConnection(id, client, peer, _stopping.Token);
        _connections[id] = connection;
        _connectionTasks[id] = ServeAsync(connection);
    }

    /// <summary>How long a connection must have waited for a frame before it may be closed to make room: a client
    /// between two requests of one exchange, or one that has just connected, is not a connection hoarder.</summary>
    private static readonly long s_evictableAfter = (long)(Stopwatch.Frequency * 1.0);

    /// <summary>Makes room by closing the connection that has waited longest for a frame (at least a second); false
    /// when none has. A connection whose request has arrived but is not read yet (its loop has not run since) is not
    /// idle: closing it would lose the request and show its client a reset instead of an answer.</summary>
    private bool EvictLongestIdle()
    {
        long idleBefore = Stopwatch.GetTimestamp() - s_evictableAfter;
        while (true)
        {
            ControlConnection? oldest = null;
            foreach (ControlConnection candidate in _connections.Values)
            {
                if (candidate.IsIdle && candidate.IdleSince <= idleBefore && !candidate.HasBytesWaiting
                    && (oldest is null || candidate.IdleSince < oldest.IdleSince))
                {
                    oldest = candidate;
                }
            }

            if (oldest is null)
            {
                return false;
            }

            // Idle -> evicted is one atomic step: a connection whose first byte is being read at this moment turns
            // busy instead, and the next oldest is tried.
            if (!oldest.TryEvict(EvictionNotice()) || !_connections.TryRemove(oldest.Id, out _))
            {
                continue;
            }

            Log.Evicted(_logger, oldest.Peer.UserId, oldest.Peer.ProcessId);
            return true;
        }
    }

    private byte[] EvictionNotice() => ControlFraming.ToFrame(ControlCodec.EncodeResponse(ControlResponse.Failure(
        0, ControlErrorName.Busy, $"busy: this connection was idle while all {_options.MaxConnections} control connections were in use, and was closed to make room; connect again")));

    /// <summary>Sends one error frame without waiting (it fits in an empty socket buffer) and closes.</summary>
    private static void RefuseNow(Socket client, ControlErrorName name, string message)
    {
        try
        {
            client.Blocking = false;
            client.Send(ControlFraming.ToFrame(ControlCodec.EncodeResponse(ControlResponse.Failure(0, name, message))));
        }
        catch (SocketException)
        {
            // The client left already; nothing to tell it.
        }
        finally
        {
            client.Dispose();
        }
    }

    private async Task ServeAsync(ControlConnection connection)
    {
        await Task.Yield();
        try
        {
            while (await ServeOneAsync(connection).ConfigureAwait(false))
            {
            }
        }
        catch (OperationCanceledException)
        {
            // Evicted, or the server is stopping.
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            Log.ConnectionFailed(_logger, connection.Peer.UserId, ex);
        }
        finally
        {
            _connections.TryRemove(connection.Id, out _);
            _connectionTasks.TryRemove(connection.Id, out _);
            connection.Dispose();
        }
    }

    /// <summary>Reads one request and answers it; false when the connection should close.</summary>
    private async Task<bool> ServeOneAsync(ControlConnection connection)
    {
        CancellationToken token = connection.Cancellation;
        byte[]? frame;
        connection.MarkIdle();
        try
        {
            frame = await ControlFraming.ReadFrameAsync(
                connection.Stream, _options.IdleTimeout, _options.FrameTimeout, connection.MarkBusy, token).ConfigureAwait(false);
        }
        catch (ControlProtocolException ex)
        {
            Log.BadFrame(_logger, connection.Peer.UserId, ex.Message);
            await TrySendAsync(connection, ControlResponse.Failure(0, ex.ErrorName, ex.Message)).ConfigureAwait(false);
            return false;
        }
        catch (ControlReadTimeoutException ex)
        {
            if (!ex.Idle)
            {
                Log.FrameTimedOut(_logger, connection.Peer.UserId, _options.FrameTimeout);
                string message = $"frame not completed within {_options.FrameTimeout.TotalSeconds:0.###} s";
                await TrySendAsync(connection, ControlResponse.Failure(0, ControlErrorName.BadRequest, message)).ConfigureAwait(false);
            }

            return false;
        }

        if (frame is null)
        {
            return false;
        }

        ControlResponse response = await AnswerAsync(frame, connection.Peer, token).ConfigureAwait(false);
        return await TrySendAsync(connection, response).ConfigureAwait(false);
    }

    private async Task<ControlResponse> AnswerAsync(byte[] frame, PeerCredentials peer, CancellationToken cancellationToken)
    {
        ControlRequest request;
        try
        {
            request = ControlCodec.DecodeRequest(frame) with { Peer = new ControlPeer(peer.UserId, peer.ProcessId) };
        }
        catch (ControlProtocolException ex)
        {
            return ControlResponse.Failure(ex.RequestId, ex.ErrorName, ex.Message);
        }

        try
        {
            return await _handler(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A handler failure must become an error answer, never a dead server.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.HandlerFailed(_logger, request.Op, ex);
            return ControlResponse.Failure(request.Id, ControlErrorName.Internal, $"{request.Op} failed inside the daemon: {ex.Message}");
        }
    }

    /// <summary>Sends a response within the frame timeout; false when it could not be sent.</summary>
    private async Task<bool> TrySendAsync(ControlConnection connection, ControlResponse response)
    {
        byte[] body = EncodeForSending(response);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(connection.Cancellation);
        deadline.CancelAfter(_options.FrameTimeout);
        try
        {
            await ControlFraming.WriteFrameAsync(connection.Stream, body, deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!connection.Cancellation.IsCancellationRequested)
        {
            Log.SendTimedOut(_logger, connection.Peer.UserId);
            return false;
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            return false;
        }
    }

    private byte[] EncodeForSending(ControlResponse response)
    {
        byte[] body;
        try
        {
            body = ControlCodec.EncodeResponse(response);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or InvalidOperationException)
        {
            Log.EncodeFailed(_logger, ex);
            return ControlCodec.EncodeResponse(ControlResponse.Failure(response.Id, ControlErrorName.Internal, "the daemon could not encode its answer"));
        }

        if (body.Length > ControlProtocol.MaxFrameBytes)
        {
            string message = $"the answer is {body.Length} bytes, over the {ControlProtocol.MaxFrameBytes}-byte frame limit";
            return ControlCodec.EncodeResponse(ControlResponse.Failure(response.Id, ControlErrorName.TooLarge, message));
        }

        return body;
    }
}
