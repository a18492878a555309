using NfLua.Examples.Tests.Packets;
using static NfLua.Examples.Tests.ExampleCase;

namespace NfLua.Examples.Tests;

[ExampleTests(Script)]
public sealed class PortKnockingTests
{
    private const string Script = "port-knocking.lua";
    private const string Server = "192.0.2.22", Server6 = "2001:db8::22";
    private const string Alice = "198.51.100.1", Bob = "198.51.100.2", Carol6 = "2001:db8:c::1", Other = "203.0.113.9";

    // The example's sequence and windows (KNOCKS = { 7000, 9000, 8000 }, KNOCK_WINDOW = 20, OPEN_FOR = 50, in SYNs judged).
    private static readonly ushort[] s_knocks = [7000, 9000, 8000];

    /// <summary>The capture of examples/captures/port-knocking.pcap: one source knocks and gets in, another does not.</summary>
    internal static IReadOnlyList<ExampleCase> Sample { get; } =
    [
        Drop("alice: SSH before knocking", Syn(Alice, 22)),
        .. Knocks(Alice, "alice", s_knocks),
        Pass("alice: SSH after the knocks", Syn(Alice, 22)),
        Pass("alice: the session's later packets", IpPacket.TcpSegment(Alice, 40022, Server, 22, "SSH-2.0-OpenSSH_9.6\r\n"u8)),
        Pass("alice: a second connection while open", Syn(Alice, 22, sourcePort: 40023)),
        Drop("bob: SSH without knocking", Syn(Bob, 22)),
        Pass("bob: a SYN to a web port", Syn(Bob, 443)),
    ];

    [Fact]
    public void TheRightSequence_OpensSshForThatSourceOnly() => ExampleAssert.Verdicts(Repository.Example(Script), Sample);

    [Fact]
    public void WrongOrderOrAnotherPort_StartsOver()
    {
        ExampleAssert.Verdicts(Repository.Example(Script),
        [
            .. Knocks(Bob, "bob, wrong order", [7000, 8000, 9000]),
            Drop("bob: SSH after the wrong order", Syn(Bob, 22)),
            .. Knocks(Bob, "bob, interrupted", [7000, 9000]),
            Pass("bob: another port between the knocks", Syn(Bob, 443)),
            .. Knocks(Bob, "bob, interrupted", [8000]),
            Drop("bob: SSH after an interrupted sequence", Syn(Bob, 22)),
            .. Knocks(Bob, "bob, a port scan in order", [7000, 8000, 9000]),
            Drop("bob: SSH after the scan", Syn(Bob, 22)),
            .. Knocks(Bob, "bob, restarting", [7000, 9000, 7000, 9000, 8000]),
            Pass("bob: SSH after a sequence restarted by its first port", Syn(Bob, 22)),
        ]);
    }

    [Fact]
    public void RepeatedKnocks_KeepTheProgress()
    {
        ExampleAssert.Verdicts(Repository.Example(Script),
        [
            .. Knocks(Alice, "alice, retransmitting", [7000, 7000, 9000, 9000, 8000]),
            Pass("alice: SSH", Syn(Alice, 22)),
        ]);
    }

    [Fact]
    public void KnocksAndOpenings_WorkOverIPv6AndPerSource()
    {
        ExampleAssert.Verdicts(Repository.Example(Script),
        [
            Drop("carol (IPv6): SSH before knocking", IpPacket.Syn(Carol6, 40000, Server6, 22)),
            .. s_knocks.Select(p => Drop($"carol (IPv6): knock {p}", IpPacket.Syn(Carol6, 40000, Server6, p))),
            Pass("carol (IPv6): SSH after the knocks", IpPacket.Syn(Carol6, 40001, Server6, 22)),
            Drop("alice: SSH, not opened by carol's knocks", Syn(Alice, 22)),
            .. Knocks(Alice, "alice and bob interleaved", [7000]),
            .. Knocks(Bob, "alice and bob interleaved", [7000]),
            .. Knocks(Alice, "alice and bob interleaved", [9000]),
            .. Knocks(Bob, "alice and bob interleaved", [9000]),
            .. Knocks(Alice, "alice and bob interleaved", [8000]),
            Pass("alice: SSH", Syn(Alice, 22)),
            Drop("bob: SSH, one knock short", Syn(Bob, 22)),
        ]);
    }

    [Fact]
    public void SlowKnocksAndOldOpenings_Expire()
    {
        ExampleAssert.Verdicts(Repository.Example(Script),
        [
            .. Knocks(Alice, "alice", s_knocks),
            .. Knocks(Bob, "bob, slow", [7000]),
            .. Traffic(21),                                            // more than KNOCK_WINDOW ticks
            .. Knocks(Bob, "bob, slow", [9000, 8000]),
            Drop("bob: SSH after knocks slower than the window", Syn(Bob, 22)),
            .. Traffic(50),                                            // alice's opening: past OPEN_FOR ticks
            Drop("alice: SSH after the opening expired", Syn(Alice, 22)),
        ]);
    }

    [Fact]
    public void NonSynPackets_Pass()
    {
        ExampleAssert.Verdicts(Repository.Example(Script),
        [
            Pass("an ACK to SSH", IpPacket.TcpSegment(Bob, 40000, Server, 22, [], TcpFlags.Ack)),
            Pass("a SYN-ACK from port 22", IpPacket.TcpSegment(Server, 22, Bob, 40000, [], TcpFlags.Syn | TcpFlags.Ack)),
            Pass("a UDP datagram to a knock port", IpPacket.UdpDatagram(Bob, 40000, Server, 7000, [1, 2, 3])),
            Pass("the IP packet cut inside the TCP header", IpPacket.Truncated(Syn(Bob, 22), 30)),
        ]);
    }

    private static IEnumerable<ExampleCase> Knocks(string source, string who, ushort[] ports) =>
        ports.Select(p => Drop($"{who}: knock {p}", Syn(source, p)));

    /// <summary>SYNs from an unrelated source to a web server: they pass and advance the rule's clock.</summary>
    private static IEnumerable<ExampleCase> Traffic(int count) =>
        Enumerable.Range(0, count).Select(i => Pass("other traffic", IpPacket.Syn(Other, (ushort)(50000 + i), Server, 443)));

    private static byte[] Syn(string source, ushort port, ushort sourcePort = 40000) => IpPacket.Syn(source, sourcePort, Server, port);
}
