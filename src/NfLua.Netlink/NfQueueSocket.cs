using NfLua.Netlink.Interop;
using NfLua.Netlink.Wire;

namespace NfLua.Netlink;

/// <summary>
/// One nfnetlink_queue bound on its own netlink socket: receive packets in batches, answer each with exactly one
/// verdict, flush the verdicts of a batch in one send. Not thread-safe: one worker thread owns it; only
/// <see cref="Statistics"/> may be read from other threads.
/// </summary>
public sealed partial class NfQueueSocket : IDisposable
{
    // About 2.3 KB of receive buffer per queued MTU-sized packet, measured (docs/internals.md, "Receive buffer").
    private const int ReceiveCostPerPacket = 2304;
    private const int SmallReceiveCostPerPacket = 1024;
    private const int SlotHeadroom = 4096;

    private readonly NetlinkSocket _socket;
    private readonly NfQueueOptions _options;
    private readonly MessageSlots _slots;
    private readonly VerdictWriter _writer;
    private readonly QueueCounters _counters = new();
    private readonly ControlReplies _replies = new();
    private ReceivedPacket[] _packets;
    private int _packetCount;
    private bool _packetsFromConfigure;
    private uint _sequence = 1;
    private bool _disposed;

    private NfQueueSocket(NetlinkSocket socket, NfQueueOptions options)
    {
        _socket = socket;
        _options = options;
        int slotSize = NetlinkConstants.Align((int)options.CopyRange + SlotHeadroom);
        _slots = new MessageSlots(options.BatchSize, slotSize);
        _packets = new ReceivedPacket[options.BatchSize];
        _writer = new VerdictWriter(options.QueueNumber, options.UseVerdictBatch, options.BatchSize);
        Settings = null!;
    }

    /// <summary>What the queue got from the kernel.</summary>
    public NfQueueSettings Settings { get; private set; }

    /// <summary>A snapshot of this socket's counters; safe to read from any thread.</summary>
    public NfQueueStatistics Statistics => _counters.Snapshot();

    /// <summary>
    /// Opens a socket, binds <see cref="NfQueueOptions.QueueNumber"/> and configures it with one acknowledged
    /// message, so no packet waits in the kernel's copy-nothing state.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (every problem is listed).</exception>
    /// <exception cref="NfQueueException">The kernel refused; the message says what to do.</exception>
    public static NfQueueSocket Open(NfQueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<string> problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid queue options: " + string.Join(" ", problems), nameof(options));
        }

        int errno = NetlinkSocket.Open(out NetlinkSocket? socket);
        if (errno != 0 || socket is null)
        {
            throw NfQueueErrors.OpenFailed(errno);
        }

        return Open(options, socket);
    }

    /// <summary>Binds and configures the queue over <paramref name="socket"/>, which it owns from now on.</summary>
    internal static NfQueueSocket Open(NfQueueOptions options, NetlinkSocket socket)
    {
        try
        {
            var queue = new NfQueueSocket(socket, options);
            queue.Configure();
            return queue;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The receive buffer size asked for when <see cref="NfQueueOptions.ReceiveBufferSize"/> is 0.</summary>
    internal static int DefaultReceiveBufferSize(uint maxLength, uint copyRange)
    {
        long perPacket = copyRange <= 128 ? SmallReceiveCostPerPacket : ReceiveCostPerPacket;
        return (int)Math.Clamp(maxLength * perPacket, 256 * 1024, int.MaxValue / 2);
    }

    /// <summary>Unbinds the queue and closes the socket; the kernel drops whatever is still queued.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Span<byte> unbind = stackalloc byte[NfQueueMessages.CommandSize];
        int length = NfQueueMessages.WriteCommand(unbind, _options.QueueNumber, _sequence++, NfQueueConfigCommand.Unbind);
        _ = _socket.Send(unbind[..length]);
        _socket.Dispose();
    }

    private (int Size, bool Forced) SizeReceiveBuffer()
    {
        int wanted = _options.ReceiveBufferSize > 0
            ? _options.ReceiveBufferSize
            : DefaultReceiveBufferSize(_options.MaxLength, _options.CopyRange);
        bool forced = _socket.SetReceiveBufferSize(wanted, force: true) == 0;
        if (!forced)
        {
            _ = _socket.SetReceiveBufferSize(wanted, force: false);
        }

        _ = _socket.GetReceiveBufferSize(out int actual);
        return (actual, forced);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
