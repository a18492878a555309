using NfLua.Scripting.Interop;

namespace NfLua.Scripting;

// What a rule's queue needs of its streams, flow verdicts and declared interest (docs/streams.md, docs/internals.md "Interest").
public sealed unsafe partial class LuaRule
{
    /// <summary>How many rules (in this process) have started following streams or flow verdicts: a rule set rechecks its rules when it changes.</summary>
    public static long FlowTrackersMade => Volatile.Read(ref RuleHost.StreamTrackersMade);

    /// <summary>Whether the rule follows TCP streams or flow verdicts: its queue must then tell it each packet's final verdict (<see cref="EndPacket"/>).</summary>
    public bool TracksFlows => _host.StreamsIfAny is not null;

    /// <summary>The packets the rule declared it wants (<c>nflua.interest</c>); null: every packet. Its queue skips the rule for the others.</summary>
    public PacketInterest? Interest => _host.Interest;

    /// <summary>Flows the rule's stream tracker follows now.</summary>
    public int StreamFlows => _host.StreamsIfAny?.Count ?? 0;

    /// <summary>Bytes the rule's streams hold now (buffers, out-of-order pieces, flow records).</summary>
    public long StreamMemoryUsed => _host.StreamsIfAny?.MemoryUsed ?? 0;

    /// <summary>What the rule's stream tracker did; null while the rule has none.</summary>
    public Streams.StreamCounters? StreamCounters => _host.StreamsIfAny?.Counters;

    /// <summary>
    /// The queue's final verdict on the packet this rule was last called for (or judged without a call): a stream keeps
    /// the packet's bytes only when it was accepted (what the receiver was given). Call it after every packet the rule saw.
    /// </summary>
    public void EndPacket(bool accepted) => _host.StreamsIfAny?.End(accepted);
}
