using NfLua.Engine;
using NfLua.Netlink;
using NfLua.Scripting;

namespace NfLua.Daemon.Queues;

/// <summary>A queue bound in the kernel through NfLua.Netlink: batches from recvmmsg, verdicts in one send.</summary>
internal sealed class NetlinkQueueChannel(NfQueueSocket socket) : IQueueChannel
{
    private uint _lastId;
    private long _undelivered;

    public ushort Queue => socket.Settings.QueueNumber;

    /// <summary>The queue's settings as the kernel accepted them.</summary>
    public NfQueueSettings Settings => socket.Settings;

    /// <summary>The socket's own counters (received, malformed, ENOBUFS...).</summary>
    public NfQueueStatistics Statistics => socket.Statistics;

    public int Receive(TimeSpan timeout) => socket.Receive((int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue));

    /// <summary>The payload in the socket's own receive buffer: rules rewrite it in place, and a modified packet is sent from there.</summary>
    public Span<byte> Payload(int index) => socket.GetWritablePayload(index);

    /// <inheritdoc/>
    public void Meta(int index, out PacketMeta meta)
    {
        NfQueuePacket packet = socket.GetPacket(index);
        meta = default;
        meta.Hook = (PacketHook)packet.Hook; // the same numbering: NF_INET_PRE_ROUTING (0) to POST_ROUTING (4)
        meta.InputInterface = packet.InputInterface ?? 0;
        meta.OutputInterface = packet.OutputInterface ?? 0;
        meta.PhysicalInputInterface = packet.PhysicalInputInterface ?? 0;
        meta.PhysicalOutputInterface = packet.PhysicalOutputInterface ?? 0;
        meta.HasUid = packet.Uid.HasValue;
        meta.Uid = packet.Uid ?? 0;
        meta.HasGid = packet.Gid.HasValue;
        meta.Gid = packet.Gid ?? 0;
        meta.Mark = packet.Mark ?? 0;
        meta.Priority = packet.Priority ?? 0;
        meta.Gso = (packet.SkbInfo & NfQueueSkbInfo.Gso) != 0;
        meta.ChecksumComplete = (packet.SkbInfo & NfQueueSkbInfo.ChecksumNotReady) == 0;
        meta.Length = packet.CaptureLength is { } full and <= int.MaxValue ? (int)full : packet.Payload.Length;
        meta.SetHardwareAddress(packet.HardwareAddress);
    }

    /// <summary>
    /// Packets the kernel numbered for this queue but never delivered: it gives an id before it tries the
    /// socket, so a full receive buffer (dropped, or accepted under fail-open) leaves a gap in the ids.
    /// NETLINK_NO_ENOBUFS hides the overrun itself, and the kernel counts nothing for fail-open ones.
    /// </summary>
    public long Undelivered => Volatile.Read(ref _undelivered);

    public void SetVerdict(int index, in PacketDecision decision)
    {
        NfQueuePacket packet = socket.GetPacket(index);
        CountGap(packet.Id);
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

    public bool Flush() => socket.FlushVerdicts();

    public int UnsentVerdicts => socket.PendingVerdicts;

    public void Dispose() => socket.Dispose();

    /// <summary>Ids count up from 1 per bound queue, in delivery order (wrapping at 2^32).</summary>
    private void CountGap(uint id)
    {
        uint gap = unchecked(id - _lastId - 1);
        if (gap != 0 && gap < int.MaxValue)
        {
            Volatile.Write(ref _undelivered, _undelivered + gap);
        }

        _lastId = id;
    }
}
