using NfLua.Examples.Tests.Packets;
using NfLua.Testing;
using static NfLua.Examples.Tests.ExampleCase;

namespace NfLua.Examples.Tests;

/// <summary>
/// interface-policy.lua decides by <c>nflua.meta(pkt).indev</c>: from a pcapng capture with several interfaces (each
/// packet's interface and direction), or from <c>--indev</c>, under the parameters of the example's
/// params/interface-policy.lua (lo and wg0 allow-all, eth0 ssh-only, eth1 deny, others deny) or given with --param.
/// </summary>
[ExampleTests(Script)]
public sealed class InterfacePolicyTests
{
    private const string Script = "interface-policy.lua";
    private const string Host = "192.0.2.10", Host6 = "2001:db8::10", Peer = "198.51.100.7", Peer6 = "2001:db8:1::7";

    private static string ParamsFile => Repository.Example("params/interface-policy.lua");

    /// <summary>The capture of examples/captures/interface-policy.pcapng: packets coming in on five interfaces, and one going out.</summary>
    internal static IReadOnlyList<ExampleCase> Sample { get; } =
    [
        Pass("eth0 (ssh-only): an SSH connection", IpPacket.Syn(Peer, 40000, Host, 22)).In("eth0"),
        Drop("eth0 (ssh-only): an HTTP connection", IpPacket.Syn(Peer, 40001, Host, 80)).In("eth0"),
        Drop("eth0 (ssh-only): a DNS query", IpPacket.UdpDatagram(Peer, 40002, Host, 53, DnsMessage.Query("example.org"))).In("eth0"),
        Drop("eth0 (ssh-only): a ping", IpPacket.EchoRequest(Peer, Host, 1, 1, "ping"u8)).In("eth0"),
        Pass("eth0 (ssh-only): an SSH connection over IPv6", IpPacket.Syn(Peer6, 40003, Host6, 22)).In("eth0"),
        Pass("eth0 (ssh-only): an IPv6 neighbour solicitation", NeighbourSolicitation()).In("eth0"),
        Drop("eth0 (ssh-only): an IPv6 ping", IpPacket.EchoRequest(Peer6, Host6, 1, 1, "ping"u8)).In("eth0"),
        Pass("wg0 (allow-all): an HTTP connection", IpPacket.Syn("10.8.0.2", 40004, "10.8.0.1", 80)).In("wg0"),
        Pass("wg0 (allow-all): a DNS query", IpPacket.UdpDatagram("10.8.0.2", 40005, "10.8.0.1", 53, DnsMessage.Query("example.org"))).In("wg0"),
        Pass("lo (allow-all): a local database connection", IpPacket.Syn("127.0.0.1", 40006, "127.0.0.1", 5432)).In("lo"),
        Drop("eth1 (deny): an SSH connection", IpPacket.Syn("192.168.50.20", 40007, "192.168.50.1", 22)).In("eth1"),
        Drop("eth2 (not listed: the default, deny): an SSH connection", IpPacket.Syn("192.168.60.20", 40008, "192.168.60.1", 22)).In("eth2"),
        Pass("eth0, going out (no input interface)", IpPacket.Syn(Host, 40009, Peer, 80)).Out("eth0"),
    ];

    [Fact]
    public void EachInputInterface_GetsItsPolicy() =>
        ExampleAssert.Verdicts(Repository.Example(Script), Sample, ["--params", ParamsFile]);

    [Fact]
    public void Indev_GivesEveryPacketOneInterface()
    {
        ExampleAssert.Verdicts(Repository.Example(Script), AllWith(Sample, "pass"), ["--params", ParamsFile, "--indev", "wg0"]);
        ExampleAssert.Verdicts(Repository.Example(Script), AllWith(Sample, "drop"), ["--params", ParamsFile, "--indev", "eth1"]);

        // On eth0, each packet as the ssh-only policy judges it (the outgoing one too: --indev gives it an input interface).
        ExampleCase[] onEth0 = [.. Sample.Select(c => c with { Verdict = SshOnly(c) })];
        ExampleAssert.Verdicts(Repository.Example(Script), onEth0, ["--params", ParamsFile, "--indev", "eth0"]);
    }

    [Fact]
    public void OnAPcap_TheInterfaceComesFromIndev()
    {
        // A classic pcap names no interface: without --indev the rule has nothing to decide by and passes everything.
        ExampleCase[] plain = [.. Sample.Select(c => c with { Interface = null, Direction = default })];
        ExampleAssert.Verdicts(Repository.Example(Script), AllWith(plain, "pass"), ["--params", ParamsFile]);
        ExampleAssert.Verdicts(Repository.Example(Script), [.. plain.Select(c => c with { Verdict = SshOnly(c) })], ["--params", ParamsFile, "--indev", "eth0"]);
    }

    [Fact]
    public void TheDefaultAndTheSshPorts_ComeFromTheParameters()
    {
        ExampleCase[] sshOnlyDefault = [.. Sample.Select(c => c.Interface == "eth2" ? c with { Verdict = "pass" } : c)];
        ExampleAssert.Verdicts(Repository.Example(Script), sshOnlyDefault, ["--params", ParamsFile, "--param", "default=ssh-only"]);

        ExampleAssert.Verdicts(Repository.Example(Script),
        [
            Drop("eth0: SSH on 22, no longer listed", IpPacket.Syn(Peer, 40000, Host, 22)).In("eth0"),
            Pass("eth0: SSH on 2222", IpPacket.Syn(Peer, 40001, Host, 2222)).In("eth0"),
            Drop("eth0: an acknowledgement to 2222 from a source port 22", IpPacket.TcpSegment(Peer, 2222, Host, 22, [])).In("eth0"),
        ], ["--params", ParamsFile, "--param", "ssh_ports=2222"]);
    }

    [Fact]
    public void WithoutParameters_EveryInputInterfaceIsDenied()
    {
        ExampleCase[] denied = [.. Sample.Select(c => c with { Verdict = c.Direction == NfLua.Packets.Capture.CaptureDirection.Inbound ? "drop" : "pass" })];
        ExampleAssert.Verdicts(Repository.Example(Script), denied);
    }

    [Theory]
    [InlineData("return { interfaces = { eth0 = \"open\" } }", "params.interfaces.eth0 must be \"allow-all\", \"ssh-only\" or \"deny\", not open")]
    [InlineData("return { interfaces = { \"eth0\" } }", "params.interfaces.1 must be")]
    [InlineData("return { interfaces = \"eth0\" }", "params.interfaces must be a table of name = policy")]
    [InlineData("return { default = \"allow\" }", "params.default must be \"allow-all\", \"ssh-only\" or \"deny\", not allow")]
    [InlineData("return { ssh_ports = { 22, 0 } }", "params.ssh_ports[2] must be a port (1 to 65535)")]
    public void BadParameters_StopTheRuleFromLoading(string parameters, string message)
    {
        using var directory = new TempDirectory();
        string capture = NfluaCtl.WriteCapture(directory.File("sample.pcapng"), Sample);
        File.WriteAllText(directory.File("params.lua"), parameters);

        ProcessResult run = NfluaCtl.Run(Repository.Example(Script), capture, ["--params", directory.File("params.lua")]);

        Assert.Equal(4, run.ExitCode);
        Assert.Contains(message, run.StdErr, StringComparison.Ordinal);
    }

    /// <summary>The verdict of the ssh-only policy, by the case's name (the sample's names say what each packet is).</summary>
    private static string SshOnly(ExampleCase c) =>
        c.Name.Contains("SSH", StringComparison.Ordinal) || c.Name.Contains("neighbour", StringComparison.Ordinal) ? "pass" : "drop";

    private static ExampleCase[] AllWith(IEnumerable<ExampleCase> cases, string verdict) => [.. cases.Select(c => c with { Verdict = verdict })];

    /// <summary>An ICMPv6 neighbour solicitation (type 135) for the host's address, to its solicited-node group.</summary>
    private static byte[] NeighbourSolicitation()
    {
        byte[] body = new byte[20]; // 4 reserved bytes, then the target address
        System.Net.IPAddress.Parse(Host6).GetAddressBytes().CopyTo(body, 4);
        return IpPacket.Icmpv6Message("fe80::7", "ff02::1:ff00:10", 135, body);
    }
}
