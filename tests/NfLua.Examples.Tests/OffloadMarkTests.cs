using NfLua.Examples.Tests.Packets;
using static NfLua.Examples.Tests.ExampleCase;

namespace NfLua.Examples.Tests;

[ExampleTests(Script)]
public sealed class OffloadMarkTests
{
    private const string Script = "offload-mark.lua";
    private const string Server = "192.0.2.80", Server6 = "2001:db8::80";
    private const uint Offload = 0x1; // the bit of packaging/iptables/offload-connmark.rules

    /// <summary>The capture of examples/captures/offload-mark.pcap: an HTTP connection offloaded, a tunnel on port 80 dropped.</summary>
    internal static IReadOnlyList<ExampleCase> Sample { get; } =
    [
        Pass("web: SYN", Tcp("198.51.100.7", 41000, [], TcpFlags.Syn)),
        Pass("web: ACK", Tcp("198.51.100.7", 41000, [], TcpFlags.Ack)),
        Offloaded("web: the request", Tcp("198.51.100.7", 41000, HttpRequest.Get("www.example.org"))),
        Offloaded("web: a packet queued before the connmark was saved", Tcp("198.51.100.7", 41000, [], TcpFlags.Ack)),
        Pass("tunnel: SYN", Tcp("198.51.100.8", 42000, [], TcpFlags.Syn)),
        Pass("tunnel: ACK", Tcp("198.51.100.8", 42000, [], TcpFlags.Ack)),
        Drop("tunnel: data that is not HTTP", Tcp("198.51.100.8", 42000, "SSH-2.0-OpenSSH_9.6\r\n"u8.ToArray())),
        Drop("tunnel: its later data", Tcp("198.51.100.8", 42000, HttpRequest.Get("www.example.org"))),
        Drop("tunnel: its later ACK", Tcp("198.51.100.8", 42000, [], TcpFlags.Ack)),
    ];

    [Fact]
    public void HttpFlows_AreMarkedAndOtherFlowsDropped() => ExampleAssert.Verdicts(Repository.Example(Script), Sample);

    [Fact]
    public void EachFlow_IsDecidedOnItsOwnFirstData()
    {
        ExampleAssert.Verdicts(Repository.Example(Script),
        [
            Pass("a: SYN", Tcp("198.51.100.1", 40001, [], TcpFlags.Syn)),
            Pass("b: SYN", Tcp("198.51.100.1", 40002, [], TcpFlags.Syn)),
            Drop("b: a lower-case method", Tcp("198.51.100.1", 40002, HttpRequest.Head("get / HTTP/1.1", "Host: x"))),
            Offloaded("a: POST", Tcp("198.51.100.1", 40001, HttpRequest.Head("POST /api HTTP/1.1", "Host: x", "Content-Length: 0"))),
            Pass("c: SYN", Tcp("198.51.100.1", 40003, [], TcpFlags.Syn)),
            Drop("c: an unknown method", Tcp("198.51.100.1", 40003, HttpRequest.Head("BREW /pot HTTP/1.1"))),
            Pass("d (IPv6): SYN", IpPacket.TcpSegment("2001:db8::7", 40004, Server6, 80, [], TcpFlags.Syn)),
            Offloaded("d (IPv6): HEAD", IpPacket.TcpSegment("2001:db8::7", 40004, Server6, 80, HttpRequest.Head("HEAD / HTTP/1.1", "Host: x"))),
            Offloaded("a: more data", Tcp("198.51.100.1", 40001, "{}"u8.ToArray())),
            Drop("b: more data", Tcp("198.51.100.1", 40002, "{}"u8.ToArray())),
        ]);
    }

    [Fact]
    public void FlowsOpenedBeforeTheRule_AreOffloadedUnjudged()
    {
        ExampleAssert.Verdicts(Repository.Example(Script),
        [
            Offloaded("an upload in mid-stream", Tcp("198.51.100.9", 43000, "binary upload data"u8.ToArray())),
            Offloaded("its next ACK", Tcp("198.51.100.9", 43000, [], TcpFlags.Ack)),
        ]);
    }

    [Fact]
    public void OddPackets_PassWithoutRuleErrors()
    {
        ExampleAssert.Verdicts(Repository.Example(Script),
        [
            Pass("a UDP datagram", IpPacket.UdpDatagram("198.51.100.1", 40000, Server, 80, "GET / HTTP/1.1\r\n"u8)),
            Pass("the IP packet cut inside the TCP header", IpPacket.Truncated(Tcp("198.51.100.1", 40000, [], TcpFlags.Syn), 30)),
        ]);
    }

    private static ExampleCase Offloaded(string name, byte[] packet) => new(name, packet, "accept", Offload);

    private static byte[] Tcp(string client, ushort port, byte[] payload, TcpFlags flags = TcpFlags.Ack | TcpFlags.Psh) =>
        IpPacket.TcpSegment(client, port, Server, 80, payload, flags);
}
