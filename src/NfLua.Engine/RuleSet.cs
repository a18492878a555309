using NfLua.Packets;
using System.Collections.Immutable;
using NfLua.Scripting;

namespace NfLua.Engine;

/// <summary>
/// One queue's rules in evaluation order: an immutable snapshot. A packet is judged by one
/// snapshot from its first rule to its last, never by a mix of two.
/// </summary>
public sealed class RuleSet
{
    private RuleSet(ImmutableArray<LuaRule> rules)
    {
        Rules = rules;
        _byProtocol = ProtocolIndex(rules);
    }

    // For each IP protocol, the rules (in order) whose declared interest admits it; null when no rule declared one.
    // Rules declare in their main chunk, so the index is made once with the set.
    private readonly int[][]? _byProtocol;

    private static int[][]? ProtocolIndex(ImmutableArray<LuaRule> rules)
    {
        if (!rules.Any(r => r.Interest is not null))
        {
            return null;
        }

        var index = new int[256][];
        for (int protocol = 0; protocol < 256; protocol++)
        {
            var candidates = new List<int>();
            for (int i = 0; i < rules.Length; i++)
            {
                if (rules[i].Interest is not { } interest || interest.AdmitsProtocol((byte)protocol))
                {
                    candidates.Add(i);
                }
            }

            index[protocol] = [.. candidates];
        }

        return index;
    }

    /// <summary>The empty rule set: every packet is accepted.</summary>
    public static RuleSet Empty { get; } = new([]);

    /// <summary>The rules, in evaluation order.</summary>
    public ImmutableArray<LuaRule> Rules { get; }

    /// <summary>
    /// Runs the rules on a packet: the first verdict other than pass ends the evaluation; when
    /// every rule passes the packet is accepted. A mark set by any rule that ran travels with
    /// the verdict (the last one set wins). Never throws for anything a script does.
    /// </summary>
    public PacketDecision Evaluate(Span<byte> packet) => Evaluate(packet, Environment.TickCount64);

    /// <summary>Evaluates the packet as <see cref="Evaluate(Span{byte})"/> does, for a packet seen at <paramref name="nowMs"/> (see <see cref="LuaRule.Filter(Span{byte}, long)"/>).</summary>
    public PacketDecision Evaluate(Span<byte> packet, long nowMs) => Evaluate(packet, nowMs, progress: null);

    /// <summary>
    /// Evaluates the packet as <see cref="Evaluate(Span{byte}, long)"/> does, publishing each rule it enters to
    /// <paramref name="progress"/> (a queue worker's, which <see cref="RuleProgress.Use"/> pointed at this set).
    /// </summary>
    public PacketDecision Evaluate(Span<byte> packet, long nowMs, RuleProgress? progress) => Evaluate(packet, nowMs, PacketMeta.None, progress);

    /// <summary>Evaluates the packet as <see cref="Evaluate(Span{byte}, long, RuleProgress)"/> does, with its metadata for <c>nflua.meta</c>.</summary>
    public PacketDecision Evaluate(Span<byte> packet, long nowMs, in PacketMeta meta, RuleProgress? progress)
    {
        PacketDecision decision = Judge(packet, nowMs, meta, progress, out int ran);
        long made = LuaRule.FlowTrackersMade;
        if (made != _trackersSeen)
        {
            _trackersSeen = made; // some rule somewhere started following flows: is it one of ours?
            _tracksFlows = AnyTracksFlows();
        }

        if (_tracksFlows)
        {
            // Rules that follow streams keep a packet's bytes only if the queue accepted it.
            bool accepted = decision.Kind == DecisionKind.Accept;
            ImmutableArray<LuaRule> rules = Rules;
            for (int i = 0; i <= ran && i < rules.Length; i++)
            {
                if (rules[i].TracksFlows)
                {
                    rules[i].EndPacket(accepted);
                }
            }
        }

        return decision;
    }

    // Whether a rule of the set follows streams or flow verdicts (rules start to at load or during a call).
    private bool _tracksFlows;
    private long _trackersSeen = -1;

    private bool AnyTracksFlows()
    {
        foreach (LuaRule rule in Rules)
        {
            if (rule.TracksFlows)
            {
                return true;
            }
        }

        return false;
    }

    private PacketDecision Judge(Span<byte> packet, long nowMs, in PacketMeta meta, RuleProgress? progress, out int ran)
    {
        ran = -1;
        uint? mark = null;
        bool modified = false;
        int failures = 0;
        ImmutableArray<LuaRule> rules = Rules;
        // Declared interests are checked before any Lua call, on one parse of the packet for the whole set: the rules
        // whose interest excludes the packet's protocol are not even looked at, the others' ports are checked here.
        PacketInfo info = default;
        bool isIp = _byProtocol is not null && PacketParser.TryParse(packet, out info);
        int[]? candidates = isIp ? _byProtocol![info.Protocol] : null;
        int count = candidates?.Length ?? rules.Length;
        try
        {
            for (int k = 0; k < count; k++)
            {
                int i = candidates is null ? k : candidates[k];
                ran = i;
                if (isIp && rules[i].Interest is { } interest && !interest.Admits(info))
                {
                    continue;
                }

                progress?.Enter(i);
                if (rules[i].Monitor)
                {
                    // Monitor mode: the rule sees the packet and counts what it would do; its verdict, mark, writes and
                    // failures do nothing to the packet (it works on a copy, so its writes cannot reach the kernel).
                    Span<byte> copy = MonitorCopy(packet.Length);
                    packet.CopyTo(copy);
                    rules[i].FilterInSet(copy, nowMs, meta);
                    continue;
                }

                FilterResult result = rules[i].FilterInSet(packet, nowMs, meta);
                mark = result.Mark ?? mark;
                modified |= result.Modified;
                if (result.Failure != RuleFailure.None)
                {
                    failures++;
                }

                if (result.Verdict != FilterVerdict.Pass)
                {
                    PublishMessages(rules, candidates, k, result.Verdict, result.QueueNumber);
                    return new PacketDecision(PacketDecision.KindOf(result.Verdict), result.QueueNumber, mark, modified, i, failures);
                }
            }

            PublishMessages(rules, candidates, count - 1, FilterVerdict.Accept, 0);
            return new PacketDecision(DecisionKind.Accept, 0, mark, modified, -1, failures);
        }
        finally
        {
            progress?.Leave();
        }
    }

    /// <summary>What the rules that ran said about the packet goes out with the verdict it finally got.</summary>
    private static void PublishMessages(ImmutableArray<LuaRule> rules, int[]? candidates, int last, FilterVerdict verdict, ushort queue)
    {
        // Only rules the packet reached can hold its messages (with an interest index: the candidates up to the last).
        for (int k = 0; k <= last; k++)
        {
            rules[candidates is null ? k : candidates[k]].Messages.Publish(verdict, queue);
        }
    }

    [ThreadStatic]
    private static byte[]? t_monitorCopy;

    // One buffer per thread (a queue's worker), grown to the largest packet: nothing allocated per packet.
    private static Span<byte> MonitorCopy(int length)
    {
        byte[]? buffer = t_monitorCopy;
        if (buffer is null || buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, 2048)];
            t_monitorCopy = buffer;
        }

        return buffer.AsSpan(0, length);
    }

    /// <summary>This set with <paramref name="rule"/> added last, or in place of the rule of the same name.</summary>
    public RuleSet WithRule(LuaRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        int index = IndexOf(rule.Name);
        return new RuleSet(index < 0 ? Rules.Add(rule) : Rules.SetItem(index, rule));
    }

    /// <summary>This set without the rule called <paramref name="name"/> (the same set when there is none).</summary>
    public RuleSet WithoutRule(string name)
    {
        int index = IndexOf(name);
        return index < 0 ? this : new RuleSet(Rules.RemoveAt(index));
    }

    /// <summary>A set of exactly these rules, in this order.</summary>
    public static RuleSet Of(IEnumerable<LuaRule> rules) => new([.. rules]);

    /// <summary>The position of the rule called <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name)
    {
        for (int i = 0; i < Rules.Length; i++)
        {
            if (Rules[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }
}
