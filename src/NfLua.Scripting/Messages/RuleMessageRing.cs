using System.Numerics;

namespace NfLua.Scripting.Messages;

/// <summary>
/// A bounded single-producer, single-consumer ring of preallocated <see cref="RuleMessage"/> slots. The producer (the
/// rule's thread) stages slots while a packet is judged and publishes them once its final verdict is known; the
/// consumer (a drain thread) reads published slots. When the ring is full a message is dropped and counted: the producer
/// never waits. The slots are made on the first message, so a rule that never speaks costs nothing.
/// </summary>
public sealed class RuleMessageRing
{
    private readonly int _capacity;
    private RuleMessage[]? _slots;
    private long _head;      // next slot to read; written by the consumer
    private long _tail;      // slots before it are published; written by the producer
    private long _staged;    // slots before it are filled; the producer's own
    private long _dropped;

    /// <summary>A ring of at least <paramref name="capacity"/> slots (a power of two, at least 2).</summary>
    public RuleMessageRing(int capacity) => _capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(capacity, 2, 1 << 20));

    /// <summary>The number of slots.</summary>
    public int Capacity => _capacity;

    /// <summary>Messages dropped because the ring was full.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Whether slots are staged and not yet published.</summary>
    public bool HasStaged => _staged != _tail;

    /// <summary>Records what the rule returned in the staged slots (the producer's thread only).</summary>
    internal void SetStagedRuleVerdict(FilterVerdict verdict, ushort queue)
    {
        for (long i = _tail; i < _staged; i++)
        {
            RuleMessage slot = _slots![i & (_capacity - 1)];
            slot.RuleVerdict = verdict;
            slot.RuleVerdictQueue = queue;
        }
    }

    /// <summary>A free slot to fill, staged; null (counted as dropped) when the ring is full. Producer only.</summary>
    public RuleMessage? TryStage()
    {
        if (_staged - Volatile.Read(ref _head) >= _capacity)
        {
            _dropped++;
            return null;
        }

        // Slots (about 1.1 KB each) are made when first reached, then reused as the ring wraps: a rule that says little
        // holds little (a ring made whole for every rule cost 1.1 MB each, and loading and unloading rules grew nfluad).
        RuleMessage[] slots = _slots ??= new RuleMessage[_capacity];
        RuleMessage slot = slots[_staged & (_capacity - 1)] ??= new RuleMessage();
        _staged++;
        return slot;
    }

    /// <summary>Publishes the staged slots with the packet's final verdict. Producer only.</summary>
    public void Publish(FilterVerdict finalVerdict, ushort finalQueue)
    {
        long staged = _staged;
        RuleMessage[]? slots = _slots;
        for (long i = _tail; i < staged; i++)
        {
            RuleMessage slot = slots![i & (_capacity - 1)];
            slot.FinalVerdict = finalVerdict;
            slot.FinalVerdictQueue = finalQueue;
        }

        Volatile.Write(ref _tail, staged);
    }

    /// <summary>The oldest published slot, or null; hand it back with <see cref="Release"/>. Consumer only.</summary>
    public RuleMessage? Peek()
    {
        long head = _head;
        return head == Volatile.Read(ref _tail) ? null : Volatile.Read(ref _slots)![head & (_capacity - 1)];
    }

    /// <summary>Frees the slot <see cref="Peek"/> gave. Consumer only.</summary>
    public void Release() => Volatile.Write(ref _head, _head + 1);
}
