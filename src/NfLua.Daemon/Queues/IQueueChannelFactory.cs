using NfLua.Daemon.Configuration;

namespace NfLua.Daemon.Queues;

/// <summary>Binds queues: the kernel's netlink in nfluad, an in-memory queue in tests.</summary>
internal interface IQueueChannelFactory
{
    /// <summary>Binds and configures a queue.</summary>
    /// <exception cref="QueueBindException">The queue cannot be bound; the message says why and what to do.</exception>
    IQueueChannel Open(QueueConfig config);
}

/// <summary>A queue that cannot be bound, with a message an operator can act on.</summary>
internal sealed class QueueBindException(string message, Exception? inner = null) : Exception(message, inner);
