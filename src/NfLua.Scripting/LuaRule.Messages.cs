using NfLua.Scripting.Messages;

namespace NfLua.Scripting;

/// <content>What the rule says: its log lines, alerts and failure events, and when they are published.</content>
public sealed unsafe partial class LuaRule
{
    private bool _inSet;

    /// <summary>
    /// The rule's messages (<c>nflua.log</c>, <c>nflua.alert</c>, failure events) and their counters. A call through
    /// <see cref="Filter(Span{byte}, long, in PacketMeta)"/> publishes what it said at once, with the rule's own verdict
    /// as the packet's (pass: accept); a call through <see cref="FilterInSet"/> leaves it to the set, which knows the
    /// packet's final verdict.
    /// </summary>
    public RuleMessages Messages { get; }

    /// <summary>
    /// Runs the rule as <see cref="Filter(Span{byte}, long, in PacketMeta)"/> does, as one of a queue's rules: its
    /// messages wait until the caller gives the packet's final verdict to <see cref="RuleMessages.Publish"/>.
    /// </summary>
    public FilterResult FilterInSet(Span<byte> packet, long nowMs, in PacketMeta meta)
    {
        _inSet = true;
        Messages.Monitor = Monitor;
        try
        {
            return Filter(packet, nowMs, meta);
        }
        finally
        {
            _inSet = false;
        }
    }

    /// <summary>Before a call: opens the message gates whose bucket holds a token again at the packet's time.</summary>
    private void BeforeCall(long nowMs)
    {
        if (Messages.ClosedGates != 0)
        {
            Messages.OpenGatesDue(nowMs);
        }
    }

    private void AfterCall(ReadOnlySpan<byte> packet, in PacketMeta meta, in FilterResult result)
    {
        if (result.Failure != RuleFailure.None && Messages.Collected)
        {
            RuleMessageKind kind = result.Failure is RuleFailure.ScriptError or RuleFailure.BadReturn ? RuleMessageKind.Failure : RuleMessageKind.Limit;
            if (Messages.TryBegin(kind, _context->NowMs) is { } slot)
            {
                slot.Failure = result.Failure;
                slot.SetMessage(FailureText(result.FailureNumber));
                slot.SetPacket(packet, meta, Interop.RuleCallbacks.Host(_context).Environment.Interfaces);
            }
        }

        if (!Messages.Ring.HasStaged)
        {
            return;
        }

        Messages.SetRuleVerdict(result);
        if (!_inSet)
        {
            Messages.Publish(result.Verdict == FilterVerdict.Pass ? FilterVerdict.Accept : result.Verdict, result.QueueNumber);
        }
    }
}
