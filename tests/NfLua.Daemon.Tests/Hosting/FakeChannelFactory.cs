using System.Collections.Concurrent;
using NfLua.Daemon.Configuration;
using NfLua.Daemon.Queues;
using NfLua.Daemon.Tests.Queues;

namespace NfLua.Daemon.Tests.Hosting;

/// <summary>Binds in-memory queues; a queue in <see cref="Held"/> is refused as the kernel refuses a queue another program holds.</summary>
internal sealed class FakeChannelFactory : IQueueChannelFactory
{
    private int _opened;

    /// <summary>The channel of each queue, as last bound.</summary>
    public ConcurrentDictionary<ushort, FakeQueueChannel> Channels { get; } = new();

    /// <summary>Queues "another program" holds.</summary>
    public ConcurrentDictionary<ushort, bool> Held { get; } = new();

    /// <summary>How many binds were attempted (refused ones included).</summary>
    public int Opened => Volatile.Read(ref _opened);

    public IQueueChannel Open(QueueConfig config)
    {
        Interlocked.Increment(ref _opened);
        if (Held.ContainsKey(config.Number))
        {
            throw new QueueBindException($"queue {config.Number} is held by another process (EPERM; netlink portid 4242)");
        }

        var channel = new FakeQueueChannel(config.Number);
        Channels[config.Number] = channel;
        return channel;
    }

    /// <summary>The live channel of <paramref name="queue"/> (fails when the queue is not bound).</summary>
    public FakeQueueChannel Bound(ushort queue)
    {
        Assert.True(Channels.TryGetValue(queue, out FakeQueueChannel? channel) && !channel.Disposed, $"queue {queue} is not bound");
        return channel;
    }

    public bool IsBound(ushort queue) => Channels.TryGetValue(queue, out FakeQueueChannel? channel) && !channel.Disposed;
}
