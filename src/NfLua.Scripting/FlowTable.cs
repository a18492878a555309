using NfLua.Packets;

namespace NfLua.Scripting;

/// <summary>
/// Per-rule, per-flow state for <c>nflua.flow(pkt)</c>: each flow (both directions of a 5-tuple)
/// owns a Lua table held in the registry. Bounded: at most <see cref="Capacity"/> flows, the
/// least recently seen evicted first, and flows idle longer than <see cref="IdleTimeout"/> expire.
/// </summary>
internal sealed class FlowTable(int capacity, TimeSpan idleTimeout)
{
    private readonly Dictionary<FlowKey, LinkedListNode<Entry>> _flows = new(Math.Min(capacity, 1024));
    private readonly LinkedList<Entry> _byAge = new(); // most recently seen first

    public int Capacity { get; } = capacity;

    public TimeSpan IdleTimeout { get; } = idleTimeout;

    public int Count => _flows.Count;

    /// <summary>Scratch list for the references a lookup releases (reused: no allocation per packet).</summary>
    public List<int> Released { get; } = [];

    /// <summary>The registry reference of the flow's table, or -1 when it has none (or its state expired: then its reference goes to <paramref name="released"/>).</summary>
    public int Find(in FlowKey key, long nowMs, List<int> released)
    {
        if (!_flows.TryGetValue(key, out LinkedListNode<Entry>? node))
        {
            return -1;
        }

        if (nowMs - node.Value.LastSeenMs > (long)IdleTimeout.TotalMilliseconds)
        {
            Remove(node, released);
            return -1;
        }

        node.ValueRef.LastSeenMs = nowMs;
        if (node != _byAge.First)
        {
            _byAge.Remove(node);
            _byAge.AddFirst(node);
        }

        return node.Value.TableRef;
    }

    /// <summary>Records a new flow's table; returns the references of the tables evicted to make room or expired.</summary>
    public void Add(in FlowKey key, int tableRef, long nowMs, List<int> released)
    {
        Expire(nowMs, released);
        while (_flows.Count >= Capacity && _byAge.Last is { } oldest)
        {
            Remove(oldest, released);
        }

        _flows[key] = _byAge.AddFirst(new Entry(key, tableRef, nowMs));
    }

    /// <summary>Drops flows idle past the timeout; their table references go to <paramref name="released"/>.</summary>
    public void Expire(long nowMs, List<int> released)
    {
        long idleMs = (long)IdleTimeout.TotalMilliseconds;
        while (_byAge.Last is { } oldest && nowMs - oldest.Value.LastSeenMs > idleMs)
        {
            Remove(oldest, released);
        }
    }

    private void Remove(LinkedListNode<Entry> node, List<int> released)
    {
        _byAge.Remove(node);
        _flows.Remove(node.Value.Key);
        released.Add(node.Value.TableRef);
    }

    private record struct Entry(FlowKey Key, int TableRef, long LastSeenMs);
}
