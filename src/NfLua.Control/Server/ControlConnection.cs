using System.Diagnostics;
using System.Net.Sockets;

namespace NfLua.Control;

/// <summary>One accepted, authorized client: its stream, its cancellation, and whether it is idle (between frames).</summary>
internal sealed class ControlConnection : IDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private const int Idle = 0, Busy = 1, Evicted = 2;
    private long _idleSince = Stopwatch.GetTimestamp();
    private int _state = Idle;

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

    public bool IsIdle => Volatile.Read(ref _state) == Idle;

    public long IdleSince => Interlocked.Read(ref _idleSince);

    /// <summary>True when bytes from the client wait in the socket (FIONREAD): a request not read yet.</summary>
    public bool HasBytesWaiting
    {
        get
        {
            try
            {
                return Stream.Socket.Available > 0;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return false;
            }
        }
    }

    /// <summary>A frame's first byte arrived. An evicted connection stays evicted (its read is being cancelled).</summary>
    public void MarkBusy() => Interlocked.CompareExchange(ref _state, Busy, Idle);

    public void MarkIdle()
    {
        Interlocked.Exchange(ref _idleSince, Stopwatch.GetTimestamp());
        Interlocked.CompareExchange(ref _state, Idle, Busy);
    }

    /// <summary>Closes the connection from outside if it is still idle: sends <paramref name="notice"/> (one frame,
    /// which fits in the empty socket buffer of an idle connection) so that its client learns why, then cancels its
    /// loop, which closes it. False when it turned busy first.</summary>
    public bool TryEvict(byte[] notice)
    {
        if (Interlocked.CompareExchange(ref _state, Evicted, Idle) != Idle)
        {
            return false;
        }

        try
        {
            // Never blocks: the connection is closed right after.
            Stream.Socket.Blocking = false;
            Stream.Socket.Send(notice);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The client left already, or its buffer is full: it learns from the close alone.
        }

        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished on its own.
        }

        return true;
    }

    public void Dispose()
    {
        Stream.Dispose();
        _cancellation.Dispose();
    }
}
