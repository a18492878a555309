using NfLua.Daemon.Configuration;
using NfLua.Netlink;

namespace NfLua.Daemon.Queues;

/// <summary>Binds configured queues in the kernel.</summary>
internal sealed class NetlinkChannelFactory : IQueueChannelFactory
{
    public IQueueChannel Open(QueueConfig config)
    {
        try
        {
            NfQueueSocket socket = NfQueueSocket.Open(new NfQueueOptions
            {
                QueueNumber = config.Number,
                MaxLength = (uint)config.MaxLength,
                CopyRange = (uint)Math.Max(config.CopyRange, 1),
                FailOpen = config.FailOpen,
                Gso = true,
                UidGid = true,
                Conntrack = true,
                ReceiveBufferSize = config.ReceiveBufferBytes ?? 0,
            });
            return new NetlinkQueueChannel(socket);
        }
        catch (NfQueueException ex)
        {
            throw new QueueBindException(ex.Message, ex);
        }
    }
}
