using System.Collections.Concurrent;
using NfLua.Scripting;

namespace NfLua.Engine;

/// <summary>
/// The published rule set of one queue, swapped atomically by the control side and picked up by
/// the queue's worker between batches. A rule that leaves the published set is disposed by the
/// worker, once the set it works with no longer contains it; never while a batch still runs it.
/// </summary>
public sealed class QueueRules
{
    private readonly Lock _publishLock = new();
    private readonly ConcurrentQueue<(long RetiredBy, LuaRule Rule)> _retired = new();
    private Publication _published = new(RuleSet.Empty, 0);

    /// <summary>Creates the rules of queue <paramref name="queue"/>.</summary>
    public QueueRules(ushort queue) => Queue = queue;

    /// <summary>The queue number.</summary>
    public ushort Queue { get; }

    /// <summary>The latest published set (what <c>nflua-ctl list</c> shows).</summary>
    public RuleSet Published => Volatile.Read(ref _published).Set;

    /// <summary>How many changes have been published.</summary>
    public long Version => Volatile.Read(ref _published).Number;

    /// <summary>Publishes a change built from the current set; changes are serialised, readers never wait.</summary>
    public RuleSet Publish(Func<RuleSet, RuleSet> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_publishLock)
        {
            Publication previous = _published;
            RuleSet next = change(previous.Set);
            if (ReferenceEquals(next, previous.Set))
            {
                return next;
            }

            long number = previous.Number + 1;
            foreach (LuaRule rule in previous.Set.Rules)
            {
                if (!next.Rules.Contains(rule))
                {
                    _retired.Enqueue((number, rule));
                }
            }

            Volatile.Write(ref _published, new Publication(next, number));
            return next;
        }
    }

    /// <summary>
    /// Called by the worker before each batch (and only by it): the set to judge the batch with.
    /// Disposes the rules retired by the publications this set includes.
    /// </summary>
    public RuleSet Acquire()
    {
        Publication current = Volatile.Read(ref _published);
        while (_retired.TryPeek(out var retired) && retired.RetiredBy <= current.Number && _retired.TryDequeue(out retired))
        {
            retired.Rule.Dispose();
        }

        return current.Set;
    }

    /// <summary>Empties the queue's rules and disposes all of them; call once its worker has stopped.</summary>
    public void Clear()
    {
        Publish(set => set.Rules.IsEmpty ? set : RuleSet.Empty);
        Acquire();
    }

    private sealed record Publication(RuleSet Set, long Number);
}
