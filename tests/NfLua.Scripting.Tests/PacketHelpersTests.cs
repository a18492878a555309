using System.Buffers.Binary;
using NfLua.Packets;
using static NfLua.Scripting.Tests.RuleHarness;

namespace NfLua.Scripting.Tests;

/// <summary>The built-in layouts and the nflua helpers on real packet bytes.</summary>
public sealed class PacketHelpersTests
{
    private static readonly byte[] s_tcp = TestPackets.Tcp("GET / HTTP/1.1\r\n", srcPort: 40000, dstPort: 80);
    private static readonly byte[] s_udp6 = TestPackets.Udp6WithHopByHop([1, 2, 3, 4]);

    [Theory]
    [InlineData("local ip, v = nflua.ip(pkt) return v == 4 and ip.version == 4 and ip.ihl == 5 and ip.protocol == 6 and ip.ttl == 64 and ip.src == 0xC0000201")]
    [InlineData("local tcp, proto = nflua.transport(pkt) return proto == 6 and tcp.src_port == 40000 and tcp.dst_port == 80 and tcp.data_offset == 5 and tcp.psh == 1 and tcp.syn == 0")]
    [InlineData("return tostring(nflua.payload(pkt)) == 'GET / HTTP/1.1\\r\\n'")]
    [InlineData("local src, dst = nflua.addresses(pkt) return src == '192.0.2.1' and dst == '198.51.100.7'")]
    [InlineData("local src = nflua.addresses(pkt) return nflua.cidr('192.0.2.0/24')(src) and not nflua.cidr('10.0.0.0/8')(src)")]
    [InlineData("return not pcall(nflua.cidr, '10.0.0.0/33') and not pcall(nflua.cidr, 'bogus')")]
    public void Helpers_OnIPv4Tcp(string body) => AssertPasses(body, s_tcp);

    [Theory]
    [InlineData("local ip, v = nflua.ip(pkt) return v == 6 and ip.next_header == 0 and ip.hop_limit == 64")]
    [InlineData("local udp, proto = nflua.transport(pkt) return proto == 17 and udp.dst_port == 53 and udp.length == 12")]
    [InlineData("return tostring(nflua.payload(pkt)) == '\\1\\2\\3\\4'")]
    [InlineData("local src, dst = nflua.addresses(pkt) return src == '2001:db8::1' and dst == '2001:db8::2' and nflua.cidr('2001:db8::/32')(dst)")]
    public void Helpers_OnIPv6WithExtensionHeaders(string body) => AssertPasses(body, s_udp6);

    [Fact]
    public void Helpers_OnAnIcmpEcho()
    {
        byte[] packet = new byte[28];
        packet[0] = 0x45;
        packet[3] = 28;
        packet[8] = 64;
        packet[9] = 1;
        packet[20] = 8;                   // echo request
        packet[24] = 0x12; packet[25] = 0x34; // id
        packet[27] = 7;                   // seq
        AssertPasses("local icmp, proto = nflua.transport(pkt) return proto == 1 and icmp.type == 8 and icmp.code == 0 and icmp.id == 0x1234 and icmp.seq == 7", packet);
    }

    [Theory]
    [InlineData(new byte[] { 0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6 })]
    [InlineData(new byte[] { 0x4F, 0, 0, 20 })]
    [InlineData(new byte[] { 0x99 })]
    [InlineData(new byte[0])]
    public void Helpers_OnOddPackets_GiveNil(byte[] packet) =>
        AssertHolds("nflua.transport(pkt) == nil and nflua.payload(pkt) == nil and nflua.addresses(pkt) == nil and nflua.flow(pkt) == nil", packet);

    [Fact]
    public void Helpers_OnALaterFragment_GiveNoTransport()
    {
        byte[] fragment = (byte[])s_tcp.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(fragment.AsSpan(6), 100); // fragment offset 800 bytes
        AssertHolds("nflua.transport(pkt) == nil and nflua.ip(pkt).frag_offset == 100", fragment);
    }

    [Fact]
    public void Payload_OfAUdpDatagramShorterThanItsIPPacket_EndsWhereTheDatagramDoes()
    {
        // The IP packet carries 3 bytes after the datagram (a trailer): its receiver never sees them.
        byte[] packet = TestPackets.Udp([1, 2, 3, 4, 0xEE, 0xEE, 0xEE]);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(24), 8 + 4);
        AssertHolds("tostring(nflua.payload(pkt)) == '\\1\\2\\3\\4' and #nflua.transport(pkt) == 12", packet);
    }

    [Fact]
    public void Transport_OfGre_IsItsHeaderWithTheGreLayout()
    {
        byte[] gre = [0x20, 0x00, 0x08, 0x00, 0, 0, 0, 42, 0x45, 0, 0, 20]; // key present, carrying IPv4; key 42
        AssertHolds("(function() local g, proto = nflua.transport(pkt) return proto == 47 and #g == 12 and g.key_present == 1 "
            + "and g.checksum_present == 0 and g.version == 0 and g.protocol == 0x0800 and nflua.payload(pkt) == nil end)()",
            TestPackets.Ipv4Carrying(47, gre));
    }

    [Fact]
    public void Transport_OfSctp_IsItsCommonHeaderWithTheSctpLayout()
    {
        byte[] sctp = [0x0B, 0x59, 0x0B, 0x59, 0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78, 1, 0, 0, 20];
        AssertHolds("(function() local s, proto = nflua.transport(pkt) return proto == 132 and s.src_port == 2905 and s.dst_port == 2905 "
            + "and s.verification_tag == 0 and s.checksum == 0x12345678 and s.chunk_type == 1 and s.chunk_length == 20 end)()",
            TestPackets.Ipv4Carrying(132, sctp));
    }

    [Theory]
    [InlineData(50)] // ESP
    [InlineData(2)]  // IGMP
    [InlineData(4)]  // IP in IP
    public void Transport_OfAnotherProtocol_IsTheRestOfThePacketWithoutALayout(byte protocol)
    {
        AssertHolds($"(function() local t, proto = nflua.transport(pkt) return proto == {protocol} and #t == 6 and tostring(t) == 'abcdef' "
            + "and t.src_port == nil end)()", TestPackets.Ipv4Carrying(protocol, "abcdef"u8.ToArray()));
    }

    [Fact]
    public void Write_RecomputesTheChecksums()
    {
        byte[] packet = TestPackets.Udp([1, 2, 3, 4]);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(26), 0x1234); // a stale UDP checksum (0 would mean "none")
        FilterResult result = Run("local ip = nflua.ip(pkt) ip.ttl = 9 local udp = nflua.transport(pkt) udp.dst_port = 6000 return true", packet);

        Assert.True(result.Modified);
        Assert.Equal(9, packet[8]);
        Assert.Equal(0, Checksums.InternetChecksum(packet.AsSpan(0, 20)));
        byte[] copy = (byte[])packet.Clone();
        Assert.True(Checksums.TryRecompute(copy));
        Assert.Equal(packet, copy);
        Assert.NotEqual(0x1234, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(26)));
    }

    [Fact]
    public void Flow_KeepsStatePerFlowAcrossPacketsAndDirections()
    {
        using LuaRule rule = Rule("local f = nflua.flow(pkt) f.n = (f.n or 0) + 1 return f.n <= 2");
        byte[] forward = TestPackets.Tcp("a", srcPort: 1000, dstPort: 2000);
        byte[] other = TestPackets.Tcp("a", srcPort: 1001, dstPort: 2000);
        byte[] reverse = (byte[])forward.Clone();
        forward.AsSpan(12, 4).CopyTo(reverse.AsSpan(16));
        forward.AsSpan(16, 4).CopyTo(reverse.AsSpan(12));
        forward.AsSpan(20, 2).CopyTo(reverse.AsSpan(22));
        forward.AsSpan(22, 2).CopyTo(reverse.AsSpan(20));

        Assert.Equal(FilterVerdict.Pass, rule.Filter(forward).Verdict);
        Assert.Equal(FilterVerdict.Pass, rule.Filter(reverse).Verdict);
        Assert.Equal(FilterVerdict.Drop, rule.Filter(forward).Verdict);
        Assert.Equal(FilterVerdict.Pass, rule.Filter(other).Verdict);
    }

    [Fact]
    public void Flow_IsBoundedAndForgetsTheOldest()
    {
        using LuaRule rule = Rule("local f = nflua.flow(pkt) local seen = f.seen f.seen = true return seen == nil", new RuleLimits { MaxFlows = 8, MaxCallTime = TimeSpan.FromSeconds(2) });
        for (ushort port = 1; port <= 20; port++)
        {
            Assert.Equal(FilterVerdict.Pass, rule.Filter(TestPackets.Tcp("x", srcPort: port)).Verdict);
        }

        Assert.Equal(FilterVerdict.Drop, rule.Filter(TestPackets.Tcp("x", srcPort: 20)).Verdict);
        Assert.Equal(FilterVerdict.Pass, rule.Filter(TestPackets.Tcp("x", srcPort: 1)).Verdict);
    }

    [Fact]
    public void Flow_IdleLongerThanTheTimeout_IsForgotten()
    {
        // The packets' own clock, not the wall clock: the rule's idle timeout (50 ms) counted to the millisecond.
        var limits = RuleHarness.Relaxed with { FlowIdleTimeout = TimeSpan.FromMilliseconds(50) };
        using LuaRule rule = Rule("local f = nflua.flow(pkt) local seen = f.seen f.seen = true return seen == nil", limits);
        byte[] quiet = TestPackets.Tcp("x", srcPort: 7000);
        byte[] other = TestPackets.Tcp("x", srcPort: 7002);
        Assert.Equal(FilterVerdict.Pass, rule.Filter(quiet, nowMs: 1_000).Verdict);
        Assert.Equal(FilterVerdict.Drop, rule.Filter(quiet, nowMs: 1_010).Verdict); // remembered
        Assert.Equal(FilterVerdict.Drop, rule.Filter(quiet, nowMs: 1_060).Verdict); // idle exactly 50 ms: kept

        Assert.Equal(FilterVerdict.Pass, rule.Filter(other, nowMs: 1_111).Verdict); // another flow meanwhile
        Assert.Equal(FilterVerdict.Pass, rule.Filter(quiet, nowMs: 1_111).Verdict); // idle 51 ms: its state was forgotten
        Assert.Equal(FilterVerdict.Drop, rule.Filter(quiet, nowMs: 1_112).Verdict); // and is new again
        Assert.Equal(FilterVerdict.Drop, rule.Filter(other, nowMs: 1_161).Verdict); // the other, idle 50 ms, is kept
    }

    [Fact]
    public void Flow_ExpiresByThePacketsTime_NotTheWallClock()
    {
        var limits = RuleHarness.Relaxed with { FlowIdleTimeout = TimeSpan.FromSeconds(120) };
        using LuaRule rule = Rule("local f = nflua.flow(pkt) local seen = f.seen f.seen = true return seen == nil", limits);
        byte[] packet = TestPackets.Tcp("x", srcPort: 7001);
        Assert.Equal(FilterVerdict.Pass, rule.Filter(packet, nowMs: 1_000).Verdict);
        Assert.Equal(FilterVerdict.Drop, rule.Filter(packet, nowMs: 120_999).Verdict); // idle exactly 119.999 s: kept
        Assert.Equal(FilterVerdict.Pass, rule.Filter(packet, nowMs: 241_000).Verdict); // idle 120.001 s: forgotten
    }

    [Fact]
    public void Now_IsThePacketsTimeInIntegerMilliseconds()
    {
        using LuaRule rule = Rule("return math.type(nflua.now()) == 'integer' and nflua.now() == 1764129600123");
        Assert.Equal(FilterVerdict.Pass, rule.Filter(TestPackets.Tcp("x"), nowMs: 1_764_129_600_123).Verdict);
        Assert.Equal(FilterVerdict.Drop, rule.Filter(TestPackets.Tcp("x"), nowMs: 1_764_129_600_124).Verdict);
    }

    [Fact]
    public void Now_WithoutAGivenTime_FollowsTheMonotonicClock()
    {
        using LuaRule rule = Rule("local t = nflua.now() return t >= __lo and t <= __hi"
            .Replace("__lo", Environment.TickCount64.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("__hi", (Environment.TickCount64 + 60_000).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.Equal(FilterVerdict.Pass, rule.Filter(TestPackets.Tcp("x")).Verdict);
    }
}
