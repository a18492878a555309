using NfLua.Engine;

namespace NfLua.Daemon.Queues;

/// <summary>
/// One bound queue as its worker sees it: batches of packets in, one verdict per packet out.
/// The kernel implementation talks netlink; tests use an in-memory one.
/// Used by one thread only.
/// </summary>
internal interface IQueueChannel : IDisposable
{
    /// <summary>The queue number.</summary>
    ushort Queue { get; }

    /// <summary>Waits up to <paramref name="timeout"/> for packets; returns how many the batch holds (0: none came).</summary>
    int Receive(TimeSpan timeout);

    /// <summary>The packet at <paramref name="index"/> of the current batch, from its network header; writable in place.</summary>
    Span<byte> Payload(int index);

    /// <summary>Records the verdict of the packet at <paramref name="index"/>; sent by <see cref="Flush"/>.</summary>
    void SetVerdict(int index, in PacketDecision decision);

    /// <summary>Sends the verdicts of the current batch (all of them, in one go).</summary>
    void Flush();
}
