using NfLua.Engine;
using NfLua.Scripting;
using NfLua.Testing;

namespace NfLua.Examples.Tests.Streams;

/// <summary>
/// An example rule alone on a queue, in process: each packet goes through a rule set as nfluad's worker runs it, so the
/// queue's final verdict decides what the rule's streams keep (docs/streams.md). Each conversation gets a client port
/// of its own, so one compiled rule serves many.
/// </summary>
internal sealed class ExampleQueue : IDisposable
{
    private readonly RuleSet _set;
    private long _now = 1;
    private ushort _nextPort = 1024;

    public ExampleQueue(string example, string? script = null)
    {
        string path = Repository.Example(example);
        Rule = LuaRule.Compile(example, script ?? File.ReadAllText(path), example,
            new RuleLimits { MaxCallTime = TimeSpan.FromSeconds(2), MaxMemoryBytes = 64L * 1024 * 1024 });
        _set = RuleSet.Of([Rule]);
    }

    public LuaRule Rule { get; }

    public long Calls => Rule.Counters.Snapshot().Calls;

    /// <summary>A new conversation on this queue, on a client port no earlier one used.</summary>
    public TcpConversation Conversation(bool ipv6, ushort serverPort) =>
        new(ipv6) { ClientPort = _nextPort++, ServerPort = serverPort };

    public DecisionKind Judge(byte[] packet)
    {
        PacketDecision decision = _set.Evaluate(packet, _now++);
        Assert.Equal(0, Rule.Counters.Snapshot().Failures);
        return decision.Kind;
    }

    public void Dispose() => Rule.Dispose();
}
