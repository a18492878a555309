using System.Buffers.Binary;
using NfLua.Packets;

namespace NfLua.Scripting.Streams;

// Sticky flow verdicts (nflua.flow_verdict): when a drop and an accept take effect (docs/streams.md, "Flow verdicts").
internal sealed unsafe partial class TcpStreams
{
    /// <summary>
    /// <c>nflua.flow_verdict(pkt, ...)</c> on the current packet's flow. A drop sticks at once (and is never lifted);
    /// an accept of a TCP flow sticks once the receiver acknowledges the bytes it was based on (the stream so far,
    /// or this packet's), so a decoy the receiver never got cannot earn it. False when the packet has no flow (not IP).
    /// </summary>
    public bool SetVerdict(ReadOnlySpan<byte> packet, bool drop, long nowMs)
    {
        if (!PacketParser.TryParse(packet, out PacketInfo info))
        {
            return false;
        }

        FlowKey key = FlowKey.FromPacket(packet, info);
        bool canonical = key.IsCanonical;
        Flow? flow = _flow;
        if (flow is null)
        {
            FlowKey flowKey = canonical ? key : key.Reverse();
            flow = Find(flowKey, nowMs) ?? Add(flowKey, nowMs);
            if (flow is null)
            {
                Counters.FlowsRefused++;
                return false;
            }
        }

        if (drop || flow.Sticky == StickyVerdict.Drop)
        {
            flow.Sticky = StickyVerdict.Drop;
            return true;
        }

        if (info.Protocol != IpProtocol.Tcp || !info.HasTransportHeader)
        {
            flow.Sticky = StickyVerdict.Accept;
            return true;
        }

        Direction direction = canonical ? flow.Forward : flow.Backward;
        uint basedOn;
        if (Depth > 0 && direction.IsnKnown)
        {
            basedOn = direction.Isn + 1 + (uint)Math.Max(_pending.NewEnd, direction.Committed);
        }
        else
        {
            ReadOnlySpan<byte> header = info.GetTransportHeader(packet);
            byte flags = header[13];
            basedOn = BinaryPrimitives.ReadUInt32BigEndian(header[4..]) + (uint)info.PayloadLength + ((flags & (Syn | Fin)) != 0 ? 1u : 0u);
        }

        if (flow.Sticky != StickyVerdict.Accept)
        {
            flow.Sticky = StickyVerdict.AcceptPending;
            flow.AcceptBy = direction;
            flow.AcceptAt = basedOn;
        }

        return true;
    }
}
