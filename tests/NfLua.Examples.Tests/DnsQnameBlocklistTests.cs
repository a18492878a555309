using NfLua.Examples.Tests.Packets;
using static NfLua.Examples.Tests.ExampleCase;

namespace NfLua.Examples.Tests;

[ExampleTests(Script)]
public sealed class DnsQnameBlocklistTests
{
    private const string Script = "dns-qname-blocklist.lua";
    private const string Client = "192.0.2.33", Resolver = "192.0.2.53";
    private const string Client6 = "2001:db8::33", Resolver6 = "2001:db8::53";

    /// <summary>The capture of examples/captures/dns-qname-blocklist.pcap.</summary>
    internal static IReadOnlyList<ExampleCase> Sample { get; } =
    [
        Drop("a listed domain", Query("blocked.example")),
        Drop("a name under a listed domain", Query("www.ads.example")),
        Drop("a name three labels under a listed domain", Query("a.b.c.ads.example")),
        Drop("a listed name in random case (DNS 0x20)", Query("wWw.AdS.eXaMpLe")),
        Drop("a name listed in mixed case", Query("tracker.example.net")),
        Pass("a name that only ends like a listed domain", Query("bads.example")),
        Pass("the parent of a listed domain", Query("example")),
        Pass("a name not listed", Query("www.example.org")),
        Drop("a listed domain over IPv6", IpPacket.UdpDatagram(Client6, 40000, Resolver6, 53, DnsMessage.Query("ads.example"))),
        Pass("a name not listed over IPv6", IpPacket.UdpDatagram(Client6, 40000, Resolver6, 53, DnsMessage.Query("example.org"))),
        Pass("the resolver's response", IpPacket.UdpDatagram(Resolver, 53, Client, 40000, DnsMessage.Response("blocked.example"))),
    ];

    [Fact]
    public void QueriesForListedDomains_AreDroppedOthersPass() => ExampleAssert.Verdicts(Repository.Example(Script), Sample);

    [Fact]
    public void OtherMessagesAndTransports_Pass()
    {
        byte[] notify = DnsMessage.Message(1, 0x2000, 1, [.. DnsMessage.Name("blocked.example"), .. DnsMessage.TypeAndClass]); // opcode 4
        byte[] twoQuestions = DnsMessage.Message(1, DnsMessage.QueryFlags, 2,
            [.. DnsMessage.Name("blocked.example"), .. DnsMessage.TypeAndClass, .. DnsMessage.Name("blocked.example"), .. DnsMessage.TypeAndClass]);
        ExampleAssert.Verdicts(Repository.Example(Script),
        [
            Pass("a response sent to port 53", Udp(DnsMessage.Response("blocked.example"))),
            Pass("a NOTIFY", Udp(notify)),
            Pass("two questions", Udp(twoQuestions)),
            Pass("no question", Udp(DnsMessage.Message(1, DnsMessage.QueryFlags, 0, []))),
            Pass("the root", Udp(DnsMessage.Message(1, DnsMessage.QueryFlags, 1, [0, .. DnsMessage.TypeAndClass]))),
            Pass("a listed name to mDNS (5353)", IpPacket.UdpDatagram(Client, 5353, "224.0.0.251", 5353, DnsMessage.Query("blocked.example"))),
            Pass("a listed name over TCP", IpPacket.TcpSegment(Client, 40001, Resolver, 53, [0, 33, .. DnsMessage.Query("blocked.example")])),
        ]);
    }

    [Fact]
    public void MalformedQuestions_PassWithoutRuleErrors()
    {
        byte[] name = DnsMessage.Name("www.blocked.example");
        ExampleAssert.Verdicts(Repository.Example(Script),
        [
            Pass("a compression pointer after a label", Question([3, .. "www"u8, 0xC0, 0x0C, .. DnsMessage.TypeAndClass])),
            Pass("a question that is only a pointer", Question([0xC0, 0x0C, .. DnsMessage.TypeAndClass])),
            Pass("a reserved label type (0x40)", Question([0x41, .. "blocked"u8, 0, .. DnsMessage.TypeAndClass])),
            Pass("a label running past the datagram", Question([40, .. "blocked"u8])),
            Pass("a name without its root label", Question(name[..^1])),
            Pass("no QTYPE and QCLASS", Question(name)),
            Pass("half a QTYPE", Question([.. name, 0])),
            Pass("a name over 255 bytes", Query(string.Join('.', Enumerable.Repeat(new string('a', 63), 4)) + ".blocked.example")),
            Pass("more than 127 labels", Query(string.Join('.', Enumerable.Repeat("a", 130)) + ".ads.example")),
            Pass("a header cut short", Udp([0x12, 0x34, 0x01, 0x00, 0x00, 0x01])),
            Pass("an empty datagram", Udp([])),
            Pass("the IP packet cut inside the UDP header", IpPacket.Truncated(Query("blocked.example"), 24)),
        ]);
    }

    [Fact]
    public void LongestNames_AreStillRead()
    {
        // 253 characters, 255 bytes on the wire: the longest name DNS allows, under a listed domain.
        string longest = string.Join('.', Enumerable.Repeat(new string('a', 61), 3)) + "." + new string('b', 51) + ".blocked.example";
        string manyLabels = string.Join('.', Enumerable.Repeat("a", 121)) + ".ads.example"; // 123 labels, 255 bytes
        ExampleAssert.Verdicts(Repository.Example(Script),
        [
            Drop("a 255-byte name", Query(longest)),
            Drop("a 255-byte name of 123 labels", Query(manyLabels)),
        ]);
        Assert.Equal(255, DnsMessage.Name(longest).Length);
        Assert.Equal(255, DnsMessage.Name(manyLabels).Length);
    }

    private static byte[] Query(string name) => Udp(DnsMessage.Query(name));

    private static byte[] Question(byte[] question) => Udp(DnsMessage.Message(0x4242, DnsMessage.QueryFlags, 1, question));

    private static byte[] Udp(byte[] message) => IpPacket.UdpDatagram(Client, 40000, Resolver, 53, message);
}
