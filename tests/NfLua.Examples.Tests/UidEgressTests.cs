using NfLua.Examples.Tests.Packets;
using NfLua.Testing;
using static NfLua.Examples.Tests.ExampleCase;

namespace NfLua.Examples.Tests;

/// <summary>
/// uid-egress.lua decides by <c>nflua.meta(pkt).uid</c>, which nflua-ctl test gives every packet with <c>--uid</c>: the
/// same capture is run as an allowed user, a user not listed and without a uid, under the parameters of the example's
/// params/uid-egress.lua (uids 0 and 1000) or given with --param.
/// </summary>
[ExampleTests(Script)]
public sealed class UidEgressTests
{
    private const string Script = "uid-egress.lua";
    private const string Host = "192.0.2.10", Host6 = "2001:db8::10";

    private static string ParamsFile => Repository.Example("params/uid-egress.lua");

    /// <summary>
    /// The capture of examples/captures/uid-egress.pcapng: what one user's programs send out (pcapng, outbound: hook
    /// "output", the interface as outdev), with the verdicts for a user the parameters do not list (--uid 1001).
    /// </summary>
    internal static IReadOnlyList<ExampleCase> Sample { get; } =
    [
        Drop("a DNS query", IpPacket.UdpDatagram(Host, 40000, "192.0.2.53", 53, DnsMessage.Query("www.example.org"))).Out("eth0"),
        Drop("an HTTPS connection", IpPacket.Syn(Host, 40001, "198.51.100.80", 443)).Out("eth0"),
        Drop("an SSH connection over IPv6", IpPacket.Syn(Host6, 40002, "2001:db8:1::22", 22)).Out("eth0"),
        Drop("a ping", IpPacket.EchoRequest(Host, "198.51.100.1", 7, 1, "ping"u8)).Out("eth0"),
        Pass("a connection to a local database, on lo", IpPacket.Syn("127.0.0.1", 40003, "127.0.0.1", 5432)).Out("lo"),
        Pass("a local DNS query over IPv6, on lo", IpPacket.UdpDatagram("::1", 40004, "::1", 53, DnsMessage.Query("example.org"))).Out("lo"),
    ];

    [Fact]
    public void AUserNotListed_IsDroppedExceptOnLoopback() =>
        ExampleAssert.Verdicts(Repository.Example(Script), Sample, ["--uid", "1001", "--params", ParamsFile]);

    [Theory]
    [InlineData("1000")]
    [InlineData("0")]
    public void ListedUsers_SendEverything(string uid) =>
        ExampleAssert.Verdicts(Repository.Example(Script), AllPass(Sample), ["--uid", uid, "--params", ParamsFile]);

    [Fact]
    public void OneUid_FromTheCommandLine_IsTheList()
    {
        ExampleAssert.Verdicts(Repository.Example(Script), AllPass(Sample), ["--uid", "1000", "--param", "uids=1000"]);
        ExampleAssert.Verdicts(Repository.Example(Script), Sample, ["--uid", "0", "--param", "uids=1000"]);

        // --param overrides the file's key: uid 0, listed there, is not here.
        ExampleAssert.Verdicts(Repository.Example(Script), Sample, ["--uid", "0", "--params", ParamsFile, "--param", "uids=1000"]);
    }

    [Fact]
    public void PacketsWithoutAUid_PassByDefault_OrAsNoUidSays()
    {
        // No --uid: as the kernel's own packets, and forwarded ones, have none.
        ExampleAssert.Verdicts(Repository.Example(Script), AllPass(Sample), ["--params", ParamsFile]);
        ExampleAssert.Verdicts(Repository.Example(Script), AllPass(Sample), ["--hook", "forward", "--params", ParamsFile]);
        ExampleAssert.Verdicts(Repository.Example(Script), Sample, ["--params", ParamsFile, "--param", "no_uid=drop"]);
    }

    [Fact]
    public void Loopback_IsCheckedToo_WhenAsked()
    {
        ExampleCase[] everythingDropped = [.. Sample.Select(c => c with { Verdict = "drop" })];
        ExampleAssert.Verdicts(Repository.Example(Script), everythingDropped, ["--uid", "1001", "--params", ParamsFile, "--param", "loopback=check"]);
        ExampleAssert.Verdicts(Repository.Example(Script), AllPass(Sample), ["--uid", "1000", "--params", ParamsFile, "--param", "loopback=check"]);
    }

    [Fact]
    public void OnAPcap_HookAndUidComeFromTheOptions()
    {
        // A classic pcap says no interface: --hook output and --uid make every packet a local user's.
        ExampleCase[] plain = [.. Sample.Where(c => c.Interface == "eth0").Select(c => c with { Interface = null, Direction = default })];
        ExampleAssert.Verdicts(Repository.Example(Script), plain, ["--hook", "output", "--uid", "4242", "--param", "uids=1000"]);
        ExampleAssert.Verdicts(Repository.Example(Script), AllPass(plain), ["--hook", "output", "--uid", "1000", "--param", "uids=1000"]);
    }

    [Theory]
    [InlineData(null, "params.uids must be a uid or a list of uids")]
    [InlineData("return { uids = { 1000, \"root\" } }", "params.uids[2] must be a uid")]
    [InlineData("return { uids = { -1 } }", "params.uids[1] must be a uid")]
    [InlineData("return { uids = 1000, no_uid = \"reject\" }", "params.no_uid must be \"pass\" or \"drop\", not reject")]
    [InlineData("return { uids = 1000, loopback = true }", "params.loopback must be \"pass\" or \"check\", not true")]
    public void BadParameters_StopTheRuleFromLoading(string? parameters, string message)
    {
        using var directory = new TempDirectory();
        string capture = NfluaCtl.WriteCapture(directory.File("sample.pcapng"), Sample);
        List<string> options = ["--uid", "1000"];
        if (parameters is not null)
        {
            File.WriteAllText(directory.File("params.lua"), parameters);
            options.AddRange(["--params", directory.File("params.lua")]);
        }

        ProcessResult run = NfluaCtl.Run(Repository.Example(Script), capture, options);

        Assert.Equal(4, run.ExitCode);
        Assert.Contains(message, run.StdErr, StringComparison.Ordinal);
    }

    private static ExampleCase[] AllPass(IEnumerable<ExampleCase> cases) => [.. cases.Select(c => c with { Verdict = "pass" })];
}
