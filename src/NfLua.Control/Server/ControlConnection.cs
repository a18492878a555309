using System.Diagnostics;
using System.Net.Sockets;

namespace NfLua.Control;

/// <summary>One accepted, authorized client: its stream, its cancellation, and whether it is idle (between frames).</summary>
internal sealed class ControlConnection : IDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private long _idleSince = Stopwatch.GetTimestamp();
    private volatile bool _idle = true;

    public ControlConnection(long id, Socket socket, PeerCredentials peer, CancellationToken serverStopping)
    {
        Id = id;
        Peer = peer;
        Stream = new NetworkStream(socket, ownsSocket: true);
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(serverStopping);
    }

    public long Id { get; }

    public PeerCredentials Peer { get; }

    public NetworkStream Stream { get; }

    public CancellationToken Cancellation => _cancellation.Token;

    public bool IsIdle => _idle;

    public long IdleSince => Interlocked.Read(ref _idleSince);

    public void MarkBusy() => _idle = false;

    public void MarkIdle()
    {
        Interlocked.Exchange(ref _idleSince, Stopwatch.GetTimestamp());
        _idle = true;
    }

    /// <summary>Closes the connection from outside (eviction); its loop sees the cancellation and ends.</summary>
    public void Evict()
    {
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished on its own.
        }
    }

    public void Dispose()
    {
        Stream.Dispose();
        _cancellation.Dispose();
    }
}
