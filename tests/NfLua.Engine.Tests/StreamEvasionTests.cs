using System.Text;
using NfLua.Scripting;
using NfLua.Scripting.Streams;
using NfLua.Testing;

namespace NfLua.Engine.Tests;

/// <summary>
/// TCP streams against the evasions that defeat per-packet matching (docs/streams.md): a request naming a blocked host,
/// cut at every byte, in tiny segments, out of order, rewritten by retransmissions and overlaps, IPv4 and IPv6. Every
/// packet goes through a rule set as a queue runs it (the queue's final verdict decides what the stream keeps).
/// </summary>
public sealed class StreamEvasionTests
{
    // Blocks any client stream that names blocked.example, and makes the drop stick to the flow.
    private const string BlockingRule = """
        nflua.want_stream()
        function filter(pkt)
          local s, why = nflua.stream(pkt)
          if s == nil then return true end
          if tostring(s):find("blocked.example", 1, true) then
            nflua.flow_verdict(pkt, "drop")
            return false
          end
          return true
        end
        """;

    private static readonly byte[] Blocked = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: blocked.example\r\nUser-Agent: t\r\n\r\n");
    private static readonly byte[] Allowed = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: allowed.example\r\nUser-Agent: t\r\n\r\n");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RequestCutAtEveryByte_TheCompletingSegmentIsDroppedAndTheFlowStaysDropped(bool ipv6)
    {
        for (int cut = 1; cut < Blocked.Length; cut++)
        {
            using var queue = new Queue(BlockingRule);
            var tcp = new TcpConversation(ipv6);
            queue.AcceptAll(tcp.Handshake());
            DecisionKind first = queue.Judge(tcp.ClientData(0, Blocked[..cut]));
            DecisionKind second = queue.Judge(tcp.ClientData(cut, Blocked[cut..]));
            int nameEnd = Encoding.ASCII.GetString(Blocked).IndexOf("blocked.example", StringComparison.Ordinal) + "blocked.example".Length;
            Assert.Equal(cut >= nameEnd ? DecisionKind.Drop : DecisionKind.Accept, first);
            Assert.Equal(DecisionKind.Drop, second);

            // The sender retransmits the dropped segment: dropped again, without a call.
            long calls = queue.Rule.Counters.Snapshot().Calls;
            Assert.Equal(DecisionKind.Drop, queue.Judge(tcp.ClientData(cut, Blocked[cut..])));
            Assert.Equal(calls, queue.Rule.Counters.Snapshot().Calls);
        }
    }

    [Fact]
    public void AllowedRequestCutAtEveryByte_EverySegmentIsAccepted()
    {
        for (int cut = 1; cut < Allowed.Length; cut++)
        {
            using var queue = new Queue(BlockingRule);
            var tcp = new TcpConversation();
            queue.AcceptAll(tcp.Handshake());
            Assert.Equal(DecisionKind.Accept, queue.Judge(tcp.ClientData(0, Allowed[..cut])));
            Assert.Equal(DecisionKind.Accept, queue.Judge(tcp.ClientData(cut, Allowed[cut..])));
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(1)]
    public void TinySegments_AreJoined(int size)
    {
        using var queue = new Queue(BlockingRule);
        var tcp = new TcpConversation();
        queue.AcceptAll(tcp.Handshake());
        var verdicts = new List<DecisionKind>();
        for (int offset = 0; offset < Blocked.Length; offset += size)
        {
            verdicts.Add(queue.Judge(tcp.ClientData(offset, Blocked[offset..Math.Min(Blocked.Length, offset + size)])));
        }

        Assert.Contains(DecisionKind.Drop, verdicts);
        Assert.Equal(DecisionKind.Drop, verdicts[^1]); // from the completing segment on, nothing passes
    }

    [Theory]
    [InlineData(10)]
    [InlineData(25)]
    [InlineData(40)]
    public void SecondHalfFirst_TheGapFillerIsJudgedOnEverythingContiguous(int cut)
    {
        using var queue = new Queue(BlockingRule);
        var tcp = new TcpConversation();
        queue.AcceptAll(tcp.Handshake());

        // The second half arrives first: remembered (the receiver queues it too, but cannot deliver it).
        Assert.Equal(DecisionKind.Accept, queue.Judge(tcp.ClientData(cut, Blocked[cut..])));
        Assert.Equal(1, queue.Streams.OutOfOrder);

        // The first half fills the hole: the rule sees both halves and the filler is dropped.
        Assert.Equal(DecisionKind.Drop, queue.Judge(tcp.ClientData(0, Blocked[..cut])));
    }

    [Fact]
    public void ThreePiecesInReverseOrder_AreJudgedWhenTheFirstArrives()
    {
        using var queue = new Queue(BlockingRule);
        var tcp = new TcpConversation();
        queue.AcceptAll(tcp.Handshake());
        Assert.Equal(DecisionKind.Accept, queue.Judge(tcp.ClientData(40, Blocked[40..])));
        Assert.Equal(DecisionKind.Accept, queue.Judge(tcp.ClientData(20, Blocked[20..40])));
        Assert.Equal(DecisionKind.Drop, queue.Judge(tcp.ClientData(0, Blocked[..20])));
    }

    [Fact]
    public void BenignFirstCopy_ThenARetransmissionCarryingTheBlockedName_IsDroppedAsAConflict()
    {
        using var queue = new Queue(BlockingRule);
        var tcp = new TcpConversation();
        queue.AcceptAll(tcp.Handshake());
        Assert.Equal(DecisionKind.Accept, queue.Judge(tcp.ClientData(0, Allowed)));
        Assert.Equal(DecisionKind.Drop, queue.Judge(tcp.ClientData(0, Blocked)));
        Assert.Equal(1, queue.Streams.Conflicts);
    }

    [Fact]
    public void BlockedFirstCopyDropped_ThenAnAllowedCopy_IsJudgedAfresh_WithoutAStickyVerdict()
    {
        // A rule that drops the packet but sets no flow verdict: the dropped bytes never reached the receiver,
        // so a different copy at the same place is a fresh candidate, not a conflict.
        const string rule = """
            nflua.want_stream()
            function filter(pkt)
              local s = nflua.stream(pkt)
              return not (s and tostring(s):find("blocked.example", 1, true))
            end
            """;
        using var queue = new Queue(rule);
        var tcp = new TcpConversation();
        queue.AcceptAll(tcp.Handshake());
        Assert.Equal(DecisionKind.Drop, queue.Judge(tcp.ClientData(0, Blocked)));
        Assert.Equal(DecisionKind.Accept, queue.Judge(tcp.ClientData(0, Allowed)));
        Assert.Equal(0, queue.Streams.Conflicts);
    }

    [Fact]
    public void OverlapRewritingHeldBytes_IsDropped_BothOverCommittedAndOverRememberedBytes()
    {
        using var queue = new Queue(BlockingRule);
        var tcp = new TcpConversation();
        queue.AcceptAll(tcp.Handshake());
        Assert.Equal(DecisionKind.Accept, queue.Judge(tcp.ClientData(0, Allowed[..30])));

        // Starts inside the committed bytes with other bytes there.
        byte[] rewrite = [.. Encoding.ASCII.GetBytes("XX"), .. Allowed[27..40]];
        Assert.Equal(DecisionKind.Drop, queue.Judge(tcp.ClientData(25, rewrite)));

        // An out-of-order piece, then an overlap that rewrites it.
        Assert.Equal(DecisionKind.Accept, queue.Judge(tcp.ClientData(40, Allowed[40..50])));
        byte[] other = Encoding.ASCII.GetBytes("ZZZZZZZZZZ");
        Assert.Equal(DecisionKind.Drop, queue.Judge(tcp.ClientData(45, other)));
        Assert.Equal(2, queue.Streams.Conflicts);

        // Identical retransmissions are never conflicts.
        Assert.Equal(DecisionKind.Accept, queue.Judge(tcp.ClientData(10, Allowed[10..30])));
        Assert.Equal(2, queue.Streams.Conflicts);
    }

    [Fact]
    public void SynData_IsNotStreamBytes()
    {
        const string rule = """
            nflua.want_stream()
            function filter(pkt)
              local s, why = nflua.stream(pkt)
              if why == "syn-data" then return false end
              return not (s and tostring(s):find("blocked.example", 1, true))
            end
            """;
        using var queue = new Queue(rule);
        var tcp = new TcpConversation();
        Assert.Equal(DecisionKind.Drop, queue.Judge(tcp.ClientSyn(Encoding.ASCII.GetBytes("Host: allowed.example"))));
        Assert.Equal(DecisionKind.Accept, queue.Judge(tcp.ClientSyn()));
        queue.AcceptAll([tcp.ServerSynAck(), tcp.ClientAck()]);
        Assert.Equal(DecisionKind.Drop, queue.Judge(tcp.ClientData(0, Blocked)));
    }

    [Fact]
    public void ConnectionSeenMidstream_SaysSo()
    {
        const string rule = """
            nflua.want_stream()
            function filter(pkt)
              local s, why = nflua.stream(pkt)
              return why ~= "midstream"
            end
            """;
        using var queue = new Queue(rule);
        var tcp = new TcpConversation();
        Assert.Equal(DecisionKind.Drop, queue.Judge(tcp.ClientData(100, Allowed)));
        Assert.Equal(1, queue.Streams.Midstream);
    }

    [Fact]
    public void DataOutsideTheWindow_AfterTheFin_OrWithoutAck_IsDropped()
    {
        using var queue = new Queue(BlockingRule);
        var tcp = new TcpConversation(windowScale: 0);
        queue.AcceptAll(tcp.Handshake());
        queue.AcceptAll([tcp.ServerAckOf(0, advertised: 20)]);
        Assert.Equal(DecisionKind.Drop, queue.Judge(tcp.ClientData(0, Allowed[..30])));  // 30 bytes into a 20-byte window
        Assert.Equal(DecisionKind.Accept, queue.Judge(tcp.ClientData(0, Allowed[..20])));
        Assert.Equal(DecisionKind.Drop, queue.Judge(tcp.ClientData(20, Allowed[20..30], flags: TcpConversation.Psh))); // no ACK
        queue.AcceptAll([tcp.ServerAckOf(20, advertised: 60000)]);
        Assert.Equal(DecisionKind.Accept, queue.Judge(tcp.ClientData(20, Allowed[20..30], flags: TcpConversation.Ack | TcpConversation.Fin)));
        Assert.Equal(DecisionKind.Drop, queue.Judge(tcp.ClientData(30, Allowed[30..40]))); // after the FIN
        Assert.Equal(3, queue.Streams.Invalid);
    }

    [Fact]
    public void FakeResetBeforeTheRequest_DoesNotEndInspection()
    {
        using var queue = new Queue(BlockingRule);
        var tcp = new TcpConversation();
        queue.AcceptAll(tcp.Handshake());
        Assert.Equal(DecisionKind.Accept, queue.Judge(tcp.ClientRst(0)));
        Assert.Equal(DecisionKind.Accept, queue.Judge(tcp.ClientData(0, Blocked[..20])));
        Assert.Equal(DecisionKind.Drop, queue.Judge(tcp.ClientData(20, Blocked[20..])));
    }

    [Fact]
    public void BytesPastTheDepth_AreNotKept_AndTheRuleIsToldSo()
    {
        const string rule = """
            nflua.want_stream(64)
            function filter(pkt)
              local s, why = nflua.stream(pkt)
              if s == nil then return why ~= "depth" end
              return #s <= 64
            end
            """;
        using var queue = new Queue(rule);
        var tcp = new TcpConversation();
        queue.AcceptAll(tcp.Handshake());
        Assert.Equal(DecisionKind.Accept, queue.Judge(tcp.ClientData(0, new byte[100])));
        Assert.Equal(DecisionKind.Drop, queue.Judge(tcp.ClientData(100, new byte[10])));
        Assert.Equal(1, queue.Streams.DepthReached);
    }

    [Fact]
    public void StickyAccept_WaitsForTheReceiversAcknowledgement()
    {
        const string rule = """
            nflua.want_stream()
            function filter(pkt)
              local s = nflua.stream(pkt)
              if s and tostring(s):find("allowed.example", 1, true) then nflua.flow_verdict(pkt, "accept") end
              return true
            end
            """;
        using var queue = new Queue(rule);
        var tcp = new TcpConversation();
        queue.AcceptAll(tcp.Handshake());
        queue.AcceptAll([tcp.ClientData(0, Allowed)]);
        long calls = queue.Rule.Counters.Snapshot().Calls;

        // Not yet acknowledged: a later segment is still judged.
        queue.AcceptAll([tcp.ClientData(Allowed.Length, new byte[10])]);
        Assert.Equal(calls + 1, queue.Rule.Counters.Snapshot().Calls);

        // The server acknowledges the bytes the accept was based on: from then on no call.
        queue.AcceptAll([tcp.ServerAckOf(Allowed.Length + 10)]);
        long after = queue.Rule.Counters.Snapshot().Calls;
        queue.AcceptAll([tcp.ClientData(Allowed.Length + 10, new byte[10]), tcp.ServerAckOf(Allowed.Length + 20)]);
        Assert.Equal(after, queue.Rule.Counters.Snapshot().Calls);
        Assert.True(queue.Streams.StickyAccepts >= 2);
    }

    [Fact]
    public void TheStream_IsReadOnly_AndDiesWithTheCall()
    {
        const string rule = """
            nflua.want_stream()
            local kept
            function filter(pkt)
              local s = nflua.stream(pkt)
              if kept ~= nil then return #kept == 0 and kept:segment(0, 1) == nil end
              if s == nil then return true end
              kept = s
              local ok, err = pcall(function() s:layout(data.layout{ b = {0, 8} }).b = 1 end)
              return not ok and err:find("read%-only") ~= nil
            end
            """;
        using var queue = new Queue(rule);
        var tcp = new TcpConversation();
        queue.AcceptAll(tcp.Handshake());
        Assert.Equal(DecisionKind.Accept, queue.Judge(tcp.ClientData(0, Allowed[..10])));
        Assert.Equal(DecisionKind.Accept, queue.Judge(tcp.ClientData(10, Allowed[10..20])));
    }

    [Fact]
    public void StreamWithoutWantStream_IsAnErrorNamingTheFix()
    {
        using var queue = new Queue("function filter(pkt) return nflua.stream(pkt) ~= nil end");
        var tcp = new TcpConversation();
        FilterResult result = queue.Rule.Filter(tcp.ClientData(0, Allowed));
        Assert.Equal(RuleFailure.ScriptError, result.Failure);
        Assert.Contains("want_stream", result.Error, StringComparison.Ordinal);
        Assert.False(queue.Rule.TracksFlows);
    }

    [Fact]
    public void ManyStalledFlowsHoldingOutOfOrderBytes_StayWithinTheMemoryBound()
    {
        var limits = new RuleLimits { MaxCallTime = TimeSpan.FromSeconds(2), MaxMemoryBytes = 4L * 1024 * 1024, MaxFlows = 20_000 };
        using var queue = new Queue(BlockingRule, limits);
        var piece = new byte[1000];
        for (int i = 0; i < 10_000; i++)
        {
            var tcp = new TcpConversation { ClientPort = (ushort)(1024 + i) };
            queue.AcceptAll(tcp.Handshake());
            queue.Judge(tcp.ClientData(5000, piece)); // a hole that never fills
        }

        StreamCounters counters = queue.Streams;
        Assert.True(queue.StreamMemory <= limits.MaxMemoryBytes, $"{queue.StreamMemory} bytes held");
        Assert.True(counters.Evicted + counters.NoRoom > 0, "the bound was never reached");

        // An established flow with a drop verdict survives the flood.
        using var guarded = new Queue(BlockingRule, limits);
        var victim = new TcpConversation { ClientPort = 9 };
        guarded.AcceptAll(victim.Handshake());
        Assert.Equal(DecisionKind.Drop, guarded.Judge(victim.ClientData(0, Blocked)));
        for (int i = 0; i < 10_000; i++)
        {
            var tcp = new TcpConversation { ClientPort = (ushort)(1024 + i) };
            guarded.Judge(tcp.ClientSyn());
            guarded.Judge(tcp.ClientData(5000, piece));
        }

        Assert.Equal(DecisionKind.Drop, guarded.Judge(victim.ClientData(Blocked.Length, new byte[5])));
    }

    [Fact]
    public void BadChecksumDecoy_IsDroppedUnseen_WhereChecksumsAreComplete()
    {
        // A decoy naming the blocked host with a wrong checksum: its receiver would drop it. Were it judged, the flow
        // would get a sticky drop and the real request, for an allowed host, would stall.
        PacketMeta complete = PacketMeta.None;
        complete.ChecksumComplete = true;
        using var queue = new Queue(BlockingRule);
        var tcp = new TcpConversation { Checksums = true };
        foreach (byte[] packet in tcp.Handshake())
        {
            Assert.Equal(DecisionKind.Accept, queue.Judge(packet, complete));
        }

        Assert.Equal(DecisionKind.Drop, queue.Judge(TcpConversation.WithWrongChecksum(tcp.ClientData(0, Blocked)), complete));
        Assert.Equal(DecisionKind.Accept, queue.Judge(tcp.ClientData(0, Allowed), complete));
        Assert.Equal(1, queue.Streams.BadChecksums);

        // Where nobody knows whether checksums are complete (a capture), they are not looked at.
        using var capture = new Queue(BlockingRule);
        var zeros = new TcpConversation();
        capture.AcceptAll(zeros.Handshake());
        Assert.Equal(DecisionKind.Accept, capture.Judge(zeros.ClientData(0, Allowed)));
    }

    [Fact]
    public void DataCutShort_IsDroppedInAFollowedConnection_AndLeftToTheRuleMidstream()
    {
        const string rule = """
            nflua.want_stream()
            function filter(pkt)
              local s, why = nflua.stream(pkt)
              return why ~= "midstream" or "accept"
            end
            """;
        using var queue = new Queue(rule);
        var tcp = new TcpConversation();
        queue.AcceptAll(tcp.Handshake());
        byte[] whole = tcp.ClientData(0, Allowed);
        Assert.Equal(DecisionKind.Drop, queue.Judge(whole[..(whole.Length - 10)])); // the copy range cut it: not all judged
        Assert.Equal(1, queue.Streams.Truncated);
        Assert.Equal(DecisionKind.Accept, queue.Judge(whole));

        var midstream = new TcpConversation { ClientPort = 41000 };
        byte[] cut = midstream.ClientData(500, Allowed);
        Assert.Equal(DecisionKind.Accept, queue.Judge(cut[..(cut.Length - 10)]));
        Assert.Equal(1, queue.Streams.Truncated);
    }

    [Fact]
    public void RulesWithoutStreams_DoNotTrackFlows()
    {
        using var queue = new Queue("function filter(pkt) return true end");
        var tcp = new TcpConversation();
        queue.AcceptAll(tcp.Handshake());
        Assert.False(queue.Rule.TracksFlows);
        Assert.Null(queue.Rule.StreamCounters);
    }

    /// <summary>One rule on a queue: packets judged in order, at one millisecond each.</summary>
    private sealed class Queue : IDisposable
    {
        private readonly RuleSet _set;
        private long _now = 1;

        public Queue(string script, RuleLimits? limits = null)
        {
            Rule = LuaRule.Compile("stream", script, "stream.lua", limits ?? new RuleLimits { MaxCallTime = TimeSpan.FromSeconds(2) });
            _set = RuleSet.Of([Rule]);
        }

        public LuaRule Rule { get; }

        public StreamCounters Streams => Rule.StreamCounters!;

        public long StreamMemory => Rule.StreamMemoryUsed;

        public DecisionKind Judge(byte[] packet) => Judge(packet, PacketMeta.None);

        public DecisionKind Judge(byte[] packet, in PacketMeta meta)
        {
            PacketDecision decision = _set.Evaluate(packet, _now++, meta, progress: null);
            Assert.Equal(0, Rule.Counters.Snapshot().Failures);
            return decision.Kind;
        }

        public void AcceptAll(IEnumerable<byte[]> packets)
        {
            foreach (byte[] packet in packets)
            {
                Assert.Equal(DecisionKind.Accept, Judge(packet));
            }
        }

        public void Dispose() => Rule.Dispose();
    }
}
