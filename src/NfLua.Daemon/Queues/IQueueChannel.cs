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

    /// <summary>What the kernel tells about the packet at <paramref name="index"/> besides its bytes (<c>nflua.meta</c>).</summary>
    void Meta(int index, out Scripting.PacketMeta meta);

    /// <summary>Records the verdict of the packet at <paramref name="index"/>; sent by <see cref="Flush"/>.</summary>
    void SetVerdict(int index, in PacketDecision decision);

    /// <summary>
    /// Sends every verdict set and not yet sent (in one go where it can); returns false when some could not be sent:
    /// they stay, first in line, for the next flush.
    /// </summary>
    bool Flush();

    /// <summary>Verdicts set but not yet taken by the kernel.</summary>
    int UnsentVerdicts { get; }
}
