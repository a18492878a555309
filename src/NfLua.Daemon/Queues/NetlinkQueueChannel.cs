using NfLua.Engine;
using NfLua.Netlink;

namespace NfLua.Daemon.Queues;

/// <summary>A queue bound in the kernel through NfLua.Netlink: batches from recvmmsg, verdicts in one send.</summary>
internal sealed class NetlinkQueueChannel(NfQueueSocket socket) : IQueueChannel
{
    public ushort Queue => socket.Settings.QueueNumber;

    /// <summary>The queue's settings as the kernel accepted them.</summary>
    public NfQueueSettings Settings => socket.Settings;

    /// <summary>The socket's own counters (received, malformed, ENOBUFS...).</summary>
    public NfQueueStatistics Statistics => socket.Statistics;

    public int Receive(TimeSpan timeout) => socket.Receive((int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue));

    /// <summary>The payload in the socket's own receive buffer: rules rewrite it in place, and a modified packet is sent from there.</summary>
    public Span<byte> Payload(int index) => socket.GetWritablePayload(index);

    public void SetVerdict(int index, in PacketDecision decision)
    {
        NfQueuePacket packet = socket.GetPacket(index);
        NfVerdict verdict = decision.Kind switch
        {
            DecisionKind.Drop => NfVerdict.Drop,
            DecisionKind.Repeat => NfVerdict.Repeat,
            DecisionKind.Stop => NfVerdict.Stop,
            DecisionKind.Queue => NfVerdict.Queue(decision.QueueNumber),
            _ => NfVerdict.Accept,
        };
        if (decision.Modified)
        {
            socket.SetVerdictWithPayload(packet.Id, verdict, packet.Payload, decision.Mark);
        }
        else if (decision.Mark is { } mark)
        {
            socket.SetVerdict(packet.Id, verdict, mark);
        }
        else
        {
            socket.SetVerdict(packet.Id, verdict);
        }
    }

    public void Flush()
    {
        if (!socket.FlushVerdicts())
        {
            throw new IOException($"queue {Queue}: the kernel refused the batch's verdicts");
        }
    }

    public void Dispose() => socket.Dispose();
}
