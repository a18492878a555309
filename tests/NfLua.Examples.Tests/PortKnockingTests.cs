using NfLua.Examples.Tests.Packets;
using static NfLua.Examples.Tests.ExampleCase;

namespace NfLua.Examples.Tests;

[ExampleTests(Script)]
public sealed class PortKnockingTests
{
    private const string Script = "port-knocking.lua";
    private const string Server = "192.0.2.22", Server6 = "2001:db8::22";
    private const string Alice = "198.51.100.1", Bob = "198.51.100.2", Carol6 = "2001:db8:c::1", Other = "203.0.113.9";

    // The example's sequence and times (KNOCKS = { 7000, 9000, 8000 }, KNOCK_GAP_MS = 5000, OPEN_MS = 30000).
    private static readonly ushort[] s_knocks = [7000, 9000, 8000];
    private const long Gap = 5000, Open = 30000;

    /// <summary>The capture of examples/captures/port-knocking.pcap: one source knocks and gets in, another does not.</summary>
    internal static IReadOnlyList<ExampleCase> Sample { get; } =
    [
        Drop("alice: SSH before knocking", Syn(Alice, 22)).At(0),
        .. KnocksAt(Alice, "alice, a second apart", s_knocks, 1000, 1000),
        Pass("alice: SSH after the knocks", Syn(Alice, 22)).At(4000),
        Pass("alice: the session's later packets", IpPacket.TcpSegment(Alice, 40022, Server, 22, "SSH-2.0-OpenSSH_9.6\r\n"u8)),
        Pass("alice: a second connection while open", Syn(Alice, 22, sourcePort: 40023)).At(20_000),
        Drop("bob: SSH without knocking", Syn(Bob, 22)).At(21_000),
        Pass("bob: a SYN to a web port", Syn(Bob, 443)),
        Drop("alice: SSH once the opening is over", Syn(Alice, 22, sourcePort: 40024)).At(3000 + Open + 1),
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
    public void RepeatedKnocks_KeepTheProgress_AndDoNotExtendTheGap()
    {
        ExampleAssert.Verdicts(Repository.Example(Script),
        [
            .. KnocksAt(Alice, "alice, retransmitting", [7000, 7000, 9000, 9000, 8000], 0, 1000),
            Pass("alice: SSH", Syn(Alice, 22)),
            Drop("bob: knock 7000", Syn(Bob, 7000)).At(10_000),
            Drop("bob: knock 7000 retransmitted", Syn(Bob, 7000)).At(14_000),
            Drop("bob: knock 9000, too late after the first 7000", Syn(Bob, 9000)).At(10_000 + Gap + 1),
            Drop("bob: knock 8000", Syn(Bob, 8000)),
            Drop("bob: SSH, the retransmission did not restart the gap", Syn(Bob, 22)),
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
    public void KnocksWithinTheGap_Open_ToTheMillisecond()
    {
        ExampleAssert.Verdicts(Repository.Example(Script),
        [
            .. KnocksAt(Alice, "alice, each at the end of the gap", s_knocks, 0, Gap),
            Pass("alice: SSH", Syn(Alice, 22)),
            .. KnocksAt(Bob, "bob, the second knock a millisecond too late", [7000], 20_000, 0),
            .. KnocksAt(Bob, "bob, the second knock a millisecond too late", [9000, 8000], 20_000 + Gap + 1, Gap),
            Drop("bob: SSH after knocks slower than the gap", Syn(Bob, 22)),
            .. KnocksAt(Bob, "bob, a first knock", [7000], 40_000, 0),
            .. KnocksAt(Bob, "bob, the first knock again after the gap: a new try", s_knocks, 40_000 + Gap + 1, Gap),
            Pass("bob: SSH", Syn(Bob, 22)),
        ]);
    }

    [Fact]
    public void AnOpening_LastsOpenMs_ForItsSourceOnly()
    {
        ExampleAssert.Verdicts(Repository.Example(Script),
        [
            .. KnocksAt(Alice, "alice", s_knocks, 0, 1),
            Drop("bob: SSH while alice's opening lasts", Syn(Bob, 22)).At(100),
            Pass("alice: SSH at the opening's last millisecond", Syn(Alice, 22)).At(2 + Open),
            Drop("alice: SSH a millisecond later", Syn(Alice, 22, sourcePort: 40001)).At(2 + Open + 1),
            Pass("alice: her session's packets outlive the opening", IpPacket.TcpSegment(Alice, 40000, Server, 22, "SSH-2.0-OpenSSH_9.6\r\n"u8)),
            .. KnocksAt(Alice, "alice, again", s_knocks, 60_000, 1),
            Pass("alice: SSH after knocking again", Syn(Alice, 22, sourcePort: 40002)),
        ]);
    }

    [Fact]
    public void AFullTable_RemembersNoNewSourceUntilOthersProgressIsStale()
    {
        using var directory = new TempDirectory();
        string script = ExampleScript.WithSetting(directory, Script, "local MAX_SOURCES = 1024", "local MAX_SOURCES = 2");
        ExampleAssert.Verdicts(script,
        [
            .. KnocksAt(Alice, "alice, one knock", [7000], 0, 0),
            .. KnocksAt(Bob, "bob, one knock", [7000], 0, 0),
            .. KnocksAt(Other, "another source, no room for its progress", s_knocks, Gap, 0),
            Drop("another source: SSH, its knocks not remembered", Syn(Other, 22)),
            .. KnocksAt(Other, "another source, once alice's and bob's progress is stale", s_knocks, Gap + 1, 1),
            Pass("another source: SSH", Syn(Other, 22)),
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

    /// <summary>Knocks from <paramref name="first"/> ms, <paramref name="gap"/> ms apart.</summary>
    private static IEnumerable<ExampleCase> KnocksAt(string source, string who, ushort[] ports, long first, long gap) =>
        ports.Select((p, i) => Drop($"{who}: knock {p}", Syn(source, p)).At(first + (i * gap)));

    private static byte[] Syn(string source, ushort port, ushort sourcePort = 40000) => IpPacket.Syn(source, sourcePort, Server, port);
}
