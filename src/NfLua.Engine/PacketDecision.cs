using NfLua.Scripting;

namespace NfLua.Engine;

/// <summary>What the kernel is told about one packet.</summary>
public enum DecisionKind
{
    /// <summary>NF_ACCEPT.</summary>
    Accept,

    /// <summary>NF_DROP.</summary>
    Drop,

    /// <summary>NF_REPEAT.</summary>
    Repeat,

    /// <summary>NF_STOP.</summary>
    Stop,

    /// <summary>NF_QUEUE to <see cref="PacketDecision.QueueNumber"/>.</summary>
    Queue,

    /// <summary>Dropped with a reply to the sender (see <see cref="FilterVerdict.Reject"/>).</summary>
    Reject,
}

/// <summary>The outcome of a queue's rules for one packet.</summary>
/// <param name="Kind">The verdict.</param>
/// <param name="QueueNumber">The target of <see cref="DecisionKind.Queue"/>.</param>
/// <param name="Mark">The mark to set, if any rule set one.</param>
/// <param name="Modified">Whether a rule rewrote the packet (send it back with the verdict).</param>
/// <param name="DecidedBy">The index of the rule that decided, or -1 when every rule passed.</param>
/// <param name="Failures">How many of the rules' calls failed on this packet (each gave its on-error verdict).</param>
public readonly record struct PacketDecision(DecisionKind Kind, ushort QueueNumber, uint? Mark, bool Modified, int DecidedBy, int Failures = 0)
{
    /// <summary>ACCEPT, as when a queue has no rules.</summary>
    public static PacketDecision AcceptAll { get; } = new(DecisionKind.Accept, 0, null, false, -1);

    internal static DecisionKind KindOf(FilterVerdict verdict) => verdict switch
    {
        FilterVerdict.Drop => DecisionKind.Drop,
        FilterVerdict.Repeat => DecisionKind.Repeat,
        FilterVerdict.Stop => DecisionKind.Stop,
        FilterVerdict.Queue => DecisionKind.Queue,
        FilterVerdict.Reject => DecisionKind.Reject,
        _ => DecisionKind.Accept,
    };
}
