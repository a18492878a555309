namespace NfLua.Scripting.Interop;

/// <summary>
/// The managed half of a rule's context, reached from callbacks through a GCHandle: what the rule's
/// Lua state may ask of the host besides the packet.
/// </summary>
internal sealed class RuleHost(string rule, FlowTable flows, RuleEnvironment environment)
{
    /// <summary>What the rule says (nflua.log, nflua.alert, failures): registered with the environment's hub when it has one.</summary>
    public Messages.RuleMessages Messages { get; } = environment.Messages?.Register(rule) ?? new Messages.RuleMessages(rule, Scripting.Messages.RuleMessageSettings.Default);

    public FlowTable Flows { get; } = flows;

    public RuleEnvironment Environment { get; } = environment;

    /// <summary>The sets this rule asked for, by the index its handles carry.</summary>
    public List<NamedSet> Sets { get; } = [];

    /// <summary>The packets the rule declared it wants (<c>nflua.interest</c>); null: every packet.</summary>
    public PacketInterest? Interest { get; set; }

    /// <summary>The rule's streams and flow verdicts, made when the rule first asks for either.</summary>
    public Streams.TcpStreams Streams
    {
        get
        {
            if (StreamsIfAny is null)
            {
                StreamsIfAny = new Streams.TcpStreams(StreamFlows, StreamIdleMs, StreamMemory);
                Interlocked.Increment(ref StreamTrackersMade);
            }

            return StreamsIfAny;
        }
    }

    /// <summary>Trackers made in this process (see <see cref="LuaRule.FlowTrackersMade"/>).</summary>
    internal static long StreamTrackersMade;

    /// <summary>The tracker if the rule asked for one; null while it has not (then packets pay nothing for it).</summary>
    public Streams.TcpStreams? StreamsIfAny { get; private set; }

    /// <summary>Flows the tracker follows at most.</summary>
    public int StreamFlows { get; init; } = 10_000;

    /// <summary>Milliseconds after which an idle flow is forgotten.</summary>
    public long StreamIdleMs { get; init; } = 300_000;

    /// <summary>Bytes the tracker may hold (buffers, pieces, flow records).</summary>
    public long StreamMemory { get; init; } = 64L * 1024 * 1024;
}
