using System.Buffers.Binary;
using System.Runtime.InteropServices;
using NfLua.Packets;

namespace NfLua.Scripting.Streams;

// The flow table and its memory bound: finding, adding and evicting flows, growing buffers (docs/streams.md, "Memory and eviction").
internal sealed unsafe partial class TcpStreams
{
    private bool Grow(Direction direction, int needed)
    {
        if (needed <= direction.Capacity)
        {
            return true;
        }

        int capacity = Math.Max(direction.Capacity, 2048);
        while (capacity < needed)
        {
            capacity *= 2;
        }

        capacity = Math.Min(capacity, Math.Max(Depth, needed));
        if (!Reserve(capacity - direction.Capacity))
        {
            return false;
        }

        direction.Buffer = (byte*)NativeMemory.Realloc(direction.Buffer, (nuint)capacity);
        MemoryUsed += capacity - direction.Capacity;
        direction.Capacity = capacity;
        return true;
    }

    /// <summary>Whether <paramref name="bytes"/> more fit the bound, after evicting idle flows without a drop verdict if needed.</summary>
    private bool Reserve(long bytes)
    {
        int scanned = 0;
        LinkedListNode<Flow>? node = _byAge.Last;
        while (MemoryUsed + bytes > _memoryLimit && node is not null && scanned++ < 64)
        {
            LinkedListNode<Flow>? previous = node.Previous;
            if (node.Value != _flow && node.Value.Sticky != StickyVerdict.Drop)
            {
                Counters.Evicted++;
                Remove(node);
            }

            node = previous;
        }

        return MemoryUsed + bytes <= _memoryLimit;
    }

    private Flow? Find(in FlowKey key, long nowMs)
    {
        if (!_flows.TryGetValue(key, out Flow? flow))
        {
            return null;
        }

        if (nowMs - flow.LastSeenMs > _idleMs)
        {
            Remove(flow.Node!);
            return null;
        }

        flow.LastSeenMs = nowMs;
        if (flow.Node != _byAge.First)
        {
            _byAge.Remove(flow.Node!);
            _byAge.AddFirst(flow.Node!);
        }

        return flow;
    }

    private Flow? Add(in FlowKey key, long nowMs)
    {
        // Expired flows go first; then, when full, the least recently seen without bytes (half-open: a SYN flood
        // evicts its own kind), then any without a drop verdict. Flows with a drop verdict are never evicted
        // while younger than the idle timeout: losing one would let the flow go on as "midstream".
        while (_byAge.Last is { } oldest && nowMs - oldest.Value.LastSeenMs > _idleMs)
        {
            Remove(oldest);
        }

        if (_flows.Count >= _capacity && !EvictOne(withBytes: false) && !EvictOne(withBytes: true))
        {
            return null;
        }

        if (!Reserve(FlowOverhead))
        {
            return null;
        }

        var flow = new Flow(key) { LastSeenMs = nowMs };
        flow.Node = _byAge.AddFirst(flow);
        _flows[key] = flow;
        MemoryUsed += FlowOverhead;
        return flow;
    }

    private bool EvictOne(bool withBytes)
    {
        int scanned = 0;
        for (LinkedListNode<Flow>? node = _byAge.Last; node is not null && scanned++ < 64; node = node.Previous)
        {
            Flow flow = node.Value;
            if (flow.Sticky != StickyVerdict.Drop && (withBytes || !flow.HasBytes))
            {
                Counters.Evicted++;
                Remove(node);
                return true;
            }
        }

        return false;
    }

    private void Remove(LinkedListNode<Flow> node)
    {
        Flow flow = node.Value;
        _byAge.Remove(node);
        _flows.Remove(flow.Key);
        flow.Free(this);
        MemoryUsed -= FlowOverhead;
    }
}
