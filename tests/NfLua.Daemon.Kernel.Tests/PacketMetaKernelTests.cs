using System.Globalization;
using static NfLua.Daemon.Kernel.Tests.KernelEnvironment;

namespace NfLua.Daemon.Kernel.Tests;

/// <summary>
/// The tier's namespace (R) routes between two namespaces of the test's own: A (10.71.1.2, veth mta-a, a hardware
/// address we chose) and B (10.71.2.2, veth mtb-b). One nfluad on queue 40 runs <see cref="MetaReport.ReportRule"/>;
/// iptables sends one UDP port per case to the queue, each from the hook the case is about.
/// </summary>
public sealed class MetaTopology : IDisposable
{
    public const ushort Queue = 40;
    public const string AddressA = "10.71.1.2", AddressB = "10.71.2.2", AddressR = "10.71.1.1";
    public const string MacA = "02:6e:66:6c:00:0a";
    public const int OutputPort = 17101, InputPort = 17102, ForwardPort = 17103, PreroutingPort = 17104,
        PostroutingPort = 17105, UidPort = 17106, MarkPort = 17107, NoMarkPort = 17108, LengthPort = 17109;
    public const uint Mark = 0xdeadbeef;

    private readonly List<string[]> _rules = [];
    private readonly string _forwarding;

    public MetaTopology()
    {
        Require();
        A = PrivateNamespace.Start();
        B = PrivateNamespace.Start();
        Link("mta", A, "10.71.1", MacA);
        Link("mtb", B, "10.71.2", null);
        _forwarding = File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim();
        File.WriteAllText("/proc/sys/net/ipv4/ip_forward", "1"); // the tier's namespace's own setting

        string q = Queue.ToString(CultureInfo.InvariantCulture);
        Rule("filter", "OUTPUT", "-o", "mta-r", "-p", "udp", "--dport", P(OutputPort), "-j", "NFQUEUE", "--queue-num", q);
        Rule("filter", "INPUT", "-i", "mta-r", "-p", "udp", "--dport", P(InputPort), "-j", "NFQUEUE", "--queue-num", q);
        Rule("filter", "FORWARD", "-i", "mta-r", "-o", "mtb-r", "-p", "udp", "--dport", P(ForwardPort), "-j", "NFQUEUE", "--queue-num", q);
        Rule("mangle", "PREROUTING", "-i", "mta-r", "-p", "udp", "--dport", P(PreroutingPort), "-j", "NFQUEUE", "--queue-num", q);
        Rule("mangle", "POSTROUTING", "-o", "mta-r", "-p", "udp", "--dport", P(PostroutingPort), "-j", "NFQUEUE", "--queue-num", q);
        Rule("filter", "OUTPUT", "-o", "lo", "-p", "udp", "--dport", P(UidPort), "-j", "NFQUEUE", "--queue-num", q);
        // The mangle table's OUTPUT chain runs before the filter table's: the packet reaches the queue marked.
        Rule("mangle", "OUTPUT", "-o", "lo", "-p", "udp", "--dport", P(MarkPort), "-j", "MARK", "--set-mark", "0x" + Mark.ToString("x", CultureInfo.InvariantCulture));
        Rule("filter", "OUTPUT", "-o", "lo", "-p", "udp", "--dport", $"{P(MarkPort)}:{P(NoMarkPort)}", "-j", "NFQUEUE", "--queue-num", q);
        Rule("filter", "OUTPUT", "-o", "lo", "-p", "udp", "--dport", P(LengthPort), "-j", "NFQUEUE", "--queue-num", "41");

        // Queue 41 copies only the first 60 bytes of each packet: the length rule sees the whole length all the same.
        Daemon = DaemonProcess.Start(
            $"queue {{ {q}, rule {{ \"report\", script = \"report.lua\" }} }}\n" +
            "queue { 41, copy_range = 60, rule { \"length\", script = \"length.lua\" } }\n",
            new Dictionary<string, string>
            {
                ["report.lua"] = MetaReport.ReportRule,
                ["length.lua"] = "function filter(pkt) local m = nflua.meta(pkt) return #pkt == 60 and m.len == 1028 end",
            });
        Assert.True(Daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(15)), Daemon.StdErr);
    }

    internal PrivateNamespace A { get; }

    internal PrivateNamespace B { get; }

    internal DaemonProcess Daemon { get; }

    public void Dispose()
    {
        Daemon.Dispose();
        foreach (string[] rule in _rules)
        {
            Run("iptables", ["-w", .. rule[..2], "-D", .. rule[2..]]);
        }

        File.WriteAllText("/proc/sys/net/ipv4/ip_forward", _forwarding);
        // Deleted here, at once: a namespace's interfaces go some time after its last process (the next class's
        // Require() counts the links).
        Run("ip", "link", "del", "mta-r");
        Run("ip", "link", "del", "mtb-r");
        A.Dispose();
        B.Dispose();
    }

    private static string P(int port) => port.ToString(CultureInfo.InvariantCulture);

    /// <summary>A veth pair PREFIX-r (here, .1) and PREFIX-x (in <paramref name="ns"/>, .2, default route via .1).</summary>
    private static void Link(string prefix, PrivateNamespace ns, string net, string? mac)
    {
        string here = prefix + "-r", there = prefix + "-" + prefix[^1];
        Netns.Must("ip", "link", "add", here, "type", "veth", "peer", "name", there);
        if (mac is not null)
        {
            Netns.Must("ip", "link", "set", there, "address", mac);
        }

        Netns.Must("ip", "link", "set", there, "netns", ns.Pid.ToString(CultureInfo.InvariantCulture));
        Netns.Must("ip", "addr", "add", net + ".1/24", "dev", here);
        Netns.Must("ip", "link", "set", here, "up");
        ns.Ip("addr", "add", net + ".2/24", "dev", there);
        ns.Ip("link", "set", there, "up");
        ns.Ip("route", "add", "default", "via", net + ".1");
    }

    private void Rule(string table, params string[] rule)
    {
        Iptables(["-t", table, "-A", .. rule]);
        _rules.Add(["-t", table, .. rule]);
    }
}

/// <summary>
/// Each field of <c>nflua.meta(pkt)</c> against the truth, on real traffic through nfluad (issue 14): the hook of
/// OUTPUT, INPUT, FORWARD, PREROUTING and POSTROUTING; the interfaces of a veth pair we named; uid and gid of two
/// users' packets (setpriv) and none on forwarded ones; the mark iptables set; skb priority; the sender's hardware
/// address; the full length behind a copy range. The rename of an interface is in <see cref="InterfaceRenameKernelTests"/>.
/// </summary>
public sealed class PacketMetaKernelTests(MetaTopology net) : IClassFixture<MetaTopology>
{
    private static readonly TimeSpan s_arrival = TimeSpan.FromSeconds(5);

    [Fact]
    public void Output_ShowsTheOutputInterface_TheSendersUidGid_AndPriority()
    {
        using var receiver = new UdpReceiver(net.A, MetaTopology.AddressA, MetaTopology.OutputPort);
        MetaReport.Send([], MetaTopology.AddressA, MetaTopology.OutputPort, priority: 5);
        var m = Observed(receiver);

        Assert.Equal("output", m["hook"]);
        Assert.Equal("nil", m["indev"]);
        Assert.Equal("nil", m["ifindex_in"]);
        Assert.Equal("mta-r", m["outdev"]);
        Assert.Equal(Index("mta-r"), m["ifindex_out"]);
        Assert.Equal("0", m["uid"]);   // this test runs as root, and so does its python3 sender
        Assert.Equal("0", m["gid"]);
        Assert.Equal("5", m["priority"]); // SO_PRIORITY on the sending socket
        Assert.Equal("0", m["mark"]);
        Assert.Equal("nil", m["hwaddr"]); // a locally made packet has no link-layer source yet
        CommonTruths(m);
    }

    [Fact]
    public void Input_ShowsTheInputInterface_TheSendersHardwareAddress_AndNoUid()
    {
        using var receiver = new UdpReceiver(null, MetaTopology.AddressR, MetaTopology.InputPort);
        MetaReport.Send(net.A.Wrap(), MetaTopology.AddressR, MetaTopology.InputPort);
        var m = Observed(receiver);

        Assert.Equal("input", m["hook"]);
        Assert.Equal("mta-r", m["indev"]);
        Assert.Equal(Index("mta-r"), m["ifindex_in"]);
        Assert.Equal("nil", m["outdev"]);
        Assert.Equal("nil", m["ifindex_out"]);
        Assert.Equal("nil", m["uid"]);  // the receiving socket is not connected: no socket is attached at INPUT
        Assert.Equal("nil", m["gid"]);
        Assert.Equal(MetaTopology.MacA, m["hwaddr"]);
        Assert.Equal(MetaTopology.MacA, Netns.HardwareAddress("mta-a", net.A));
        Assert.Equal("0", m["priority"]);
        CommonTruths(m);
    }

    [Fact]
    public void Forward_ShowsBothInterfaces_AndNoUidOrGid()
    {
        using var receiver = new UdpReceiver(net.B, MetaTopology.AddressB, MetaTopology.ForwardPort);
        MetaReport.Send(net.A.Wrap(), MetaTopology.AddressB, MetaTopology.ForwardPort);
        var m = Observed(receiver);

        Assert.Equal("forward", m["hook"]);
        Assert.Equal("mta-r", m["indev"]);
        Assert.Equal("mtb-r", m["outdev"]);
        Assert.Equal(Index("mta-r"), m["ifindex_in"]);
        Assert.Equal(Index("mtb-r"), m["ifindex_out"]);
        Assert.Equal("nil", m["uid"]);
        Assert.Equal("nil", m["gid"]);
        Assert.Equal(MetaTopology.MacA, m["hwaddr"]);
        Assert.Equal("0", m["mark"]);
        CommonTruths(m);
    }

    [Fact]
    public void PreroutingAndPostrouting_AreNamed_WithTheirOneInterface()
    {
        using (var receiver = new UdpReceiver(null, MetaTopology.AddressR, MetaTopology.PreroutingPort))
        {
            MetaReport.Send(net.A.Wrap(), MetaTopology.AddressR, MetaTopology.PreroutingPort);
            var m = Observed(receiver);
            Assert.Equal("prerouting", m["hook"]);
            Assert.Equal("mta-r", m["indev"]);
            Assert.Equal("nil", m["outdev"]); // not routed yet
            Assert.Equal("nil", m["uid"]);
            CommonTruths(m);
        }

        using (var receiver = new UdpReceiver(net.A, MetaTopology.AddressA, MetaTopology.PostroutingPort))
        {
            MetaReport.Send([], MetaTopology.AddressA, MetaTopology.PostroutingPort);
            var m = Observed(receiver);
            Assert.Equal("postrouting", m["hook"]);
            Assert.Equal("nil", m["indev"]);
            Assert.Equal("mta-r", m["outdev"]);
            Assert.Equal("0", m["uid"]); // still the sender's socket
            CommonTruths(m);
        }
    }

    [Fact]
    public void UidAndGid_AreEachSendersOwn()
    {
        using var receiver = new UdpReceiver(null, "127.0.0.1", MetaTopology.UidPort);
        // setpriv takes numeric ids without a passwd entry: nobody (65534) and a uid/gid pair no one has.
        foreach ((int uid, int gid) in (ReadOnlySpan<(int, int)>)[(65534, 65534), (4242, 4343), (0, 0)])
        {
            string[] asUser = ["setpriv", "--reuid", uid.ToString(CultureInfo.InvariantCulture), "--regid", gid.ToString(CultureInfo.InvariantCulture), "--clear-groups"];
            MetaReport.Send(asUser, "127.0.0.1", MetaTopology.UidPort);
            var m = Observed(receiver);
            Assert.Equal("output", m["hook"]);
            Assert.Equal("lo", m["outdev"]);
            Assert.Equal(uid.ToString(CultureInfo.InvariantCulture), m["uid"]);
            Assert.Equal(gid.ToString(CultureInfo.InvariantCulture), m["gid"]);
        }
    }

    [Fact]
    public void Mark_IsTheOneIptablesSetBeforeTheQueue_AndZeroWithoutOne()
    {
        using (var receiver = new UdpReceiver(null, "127.0.0.1", MetaTopology.MarkPort))
        {
            MetaReport.Send([], "127.0.0.1", MetaTopology.MarkPort);
            Assert.Equal(MetaTopology.Mark.ToString(CultureInfo.InvariantCulture), Observed(receiver)["mark"]); // unsigned, all 32 bits
        }

        using (var receiver = new UdpReceiver(null, "127.0.0.1", MetaTopology.NoMarkPort))
        {
            MetaReport.Send([], "127.0.0.1", MetaTopology.NoMarkPort);
            Assert.Equal("0", Observed(receiver)["mark"]);
        }
    }

    [Fact]
    public void Len_IsTheWholePacket_WhenTheCopyRangeCutsIt()
    {
        // The rule accepts only when it sees 60 bytes and len == 1028 (20 + 8 + 1000): 999 bytes of payload are dropped.
        using var receiver = new UdpReceiver(null, "127.0.0.1", MetaTopology.LengthPort);
        MetaReport.Send([], "127.0.0.1", MetaTopology.LengthPort, size: 999, tag: "short");
        MetaReport.Send([], "127.0.0.1", MetaTopology.LengthPort, size: 1000, tag: "whole");
        Assert.Equal("whole", receiver.Next(s_arrival));
        Assert.Null(receiver.Next(TimeSpan.FromMilliseconds(300)));
    }

    private Dictionary<string, string> Observed(UdpReceiver receiver)
    {
        string? line = receiver.Next(s_arrival);
        Assert.True(line is not null, $"no datagram arrived in {s_arrival.TotalSeconds} s; nfluad said:\n{net.Daemon.StdErr}");
        return MetaReport.Parse(line);
    }

    /// <summary>What every report of these small datagrams shows: no bridge, no GSO, the IP length, no conntrack data.</summary>
    private static void CommonTruths(Dictionary<string, string> m)
    {
        Assert.Equal("nil", m["physindev"]);
        Assert.Equal("nil", m["physoutdev"]);
        Assert.Equal("false", m["gso"]);
        Assert.Equal((20 + 8 + MetaReport.DatagramSize).ToString(CultureInfo.InvariantCulture), m["len"]);
        // This kernel has no CONFIG_NETFILTER_NETLINK_GLUE_CT: no NFQA_CT in queued packets (docs/internals.md).
        Assert.Equal("nil", m["ct"]);
    }

    private static string Index(string name) => Netns.IfIndex(name).ToString(CultureInfo.InvariantCulture);
}

/// <summary>An interface renamed while nfluad runs shows its new name to rules (the rtnetlink link table), within a bound.</summary>
public sealed class InterfaceRenameKernelTests : IDisposable
{
    private readonly List<string[]> _rules = [];

    public InterfaceRenameKernelTests() => Require();

    public void Dispose()
    {
        foreach (string[] rule in _rules)
        {
            Run("iptables", ["-w", "-D", .. rule]);
        }

        Run("ip", "link", "del", "mtn-r"); // when the test failed before the rename (gone with its namespace anyway)
        Run("ip", "link", "del", "mtn-renamed");
    }

    [Fact]
    public void RenamedInterface_ShowsItsNewName_WithinTwoSeconds()
    {
        using var d = PrivateNamespace.Start();
        Netns.Must("ip", "link", "add", "mtn-r", "type", "veth", "peer", "name", "mtn-d");
        Netns.Must("ip", "link", "set", "mtn-d", "netns", d.Pid.ToString(CultureInfo.InvariantCulture));
        Netns.Must("ip", "addr", "add", "10.71.3.1/24", "dev", "mtn-r");
        Netns.Must("ip", "link", "set", "mtn-r", "up");
        d.Ip("addr", "add", "10.71.3.2/24", "dev", "mtn-d");
        d.Ip("link", "set", "mtn-d", "up");
        // By address, not by "-o mtn-r": the iptables rule must match under both names.
        string[] rule = ["OUTPUT", "-d", "10.71.3.2", "-p", "udp", "--dport", "17301", "-j", "NFQUEUE", "--queue-num", "42"];
        Iptables(["-A", .. rule]);
        _rules.Add(rule);
        using var daemon = DaemonProcess.Start("queue { 42, rule { \"report\", script = \"report.lua\" } }",
            new Dictionary<string, string> { ["report.lua"] = MetaReport.ReportRule });
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(15)), daemon.StdErr);
        using var receiver = new UdpReceiver(d, "10.71.3.2", 17301);
        string index = Netns.IfIndex("mtn-r").ToString(CultureInfo.InvariantCulture);

        MetaReport.Send([], "10.71.3.2", 17301);
        var before = MetaReport.Parse(receiver.Next(TimeSpan.FromSeconds(5)) ?? "(nothing arrived)");
        Assert.Equal("mtn-r", before["outdev"]);
        Assert.Equal(index, before["ifindex_out"]);

        Netns.Must("ip", "link", "set", "mtn-r", "down");
        Netns.Must("ip", "link", "set", "mtn-r", "name", "mtn-renamed");
        Netns.Must("ip", "link", "set", "mtn-renamed", "up");
        var renamed = System.Diagnostics.Stopwatch.StartNew();

        // Send until a packet arrives (the link comes back up in its own time) and shows the new name.
        Dictionary<string, string>? after = null;
        while (renamed.Elapsed < TimeSpan.FromSeconds(2))
        {
            MetaReport.Send([], "10.71.3.2", 17301);
            if (receiver.Next(TimeSpan.FromMilliseconds(200)) is { } line)
            {
                after = MetaReport.Parse(line);
                if (after["outdev"] == "mtn-renamed")
                {
                    break;
                }
            }
        }

        Assert.True(after is not null, "no packet passed after the rename; nfluad said:\n" + daemon.StdErr);
        Assert.True(after["outdev"] == "mtn-renamed", $"still '{after["outdev"]}' {renamed.ElapsedMilliseconds} ms after the rename");
        Assert.Equal(index, after["ifindex_out"]); // the same interface
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }
}
