using System.Text.Json;
using NfLua.Packets.Capture;

namespace NfLua.Cli.Tests;

/// <summary><c>nflua-ctl test</c> gives a rule what a live rule gets: <c>nflua.meta</c> from the capture and the options,
/// sets from files, parameters; and it tests the records of a capture cut short.</summary>
public sealed class TestContextTests
{
    // The rule fails on purpose with the context it sees, so that each packet's error shows it.
    private const string ShowMeta =
        "function filter(pkt)\n  local m = nflua.meta(pkt)\n  error(string.format('%s|%s|%s|%s|%s|%s', tostring(m.hook), tostring(m.indev), "
        + "tostring(m.outdev), tostring(m.uid), tostring(m.gid), tostring(m.mark)), 0)\nend\n";

    private static readonly byte[] s_packet = TestPackets.Udp("192.0.2.1", 5000, "198.51.100.7", 53, [1, 2, 3, 4]);

    [Fact]
    public async Task Meta_FromPcapNg_IsTheInterfaceAndDirectionOfEachPacket()
    {
        using var directory = new TempDirectory();
        string capture = directory.File("two.pcapng");
        using (FileStream file = File.Create(capture))
        {
            var writer = new PcapNgWriter(file);
            int eth0 = writer.AddInterface(CaptureLinkType.Ethernet, name: "eth0");
            int wg0 = writer.AddInterface(CaptureLinkType.Raw, name: "wg0");
            writer.WritePacket(eth0, s_packet, CaptureDirection.Inbound);
            writer.WritePacket(wg0, s_packet, CaptureDirection.Outbound);
            writer.WritePacket(eth0, s_packet, CaptureDirection.Unknown);
        }

        CliRun run = await CliRun.RunAsync("test", directory.WriteFile("meta.lua", ShowMeta), capture, "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(["input|eth0|nil|nil|nil|0", "output|nil|wg0|nil|nil|0", "nil|nil|nil|nil|nil|0"], Errors(run));
    }

    [Fact]
    public async Task Meta_Hwaddr_IsTheFramesSourceAddress_ForPacketsThatCameIn()
    {
        using var directory = new TempDirectory();
        string capture = directory.File("eth.pcapng");
        using (FileStream file = File.Create(capture))
        {
            var writer = new PcapNgWriter(file);
            int eth0 = writer.AddInterface(CaptureLinkType.Ethernet, name: "eth0");
            int wg0 = writer.AddInterface(CaptureLinkType.Raw, name: "wg0");
            writer.WritePacket(eth0, s_packet, CaptureDirection.Inbound);
            writer.WritePacket(eth0, s_packet, CaptureDirection.Outbound);
            writer.WritePacket(wg0, s_packet, CaptureDirection.Inbound);
        }

        string rule = directory.WriteFile("hw.lua", "function filter(pkt) error(tostring(nflua.meta(pkt).hwaddr), 0) end\n");

        CliRun run = await CliRun.RunAsync("test", rule, capture, "--json");
        CliRun asOutput = await CliRun.RunAsync("test", rule, capture, "--hook", "output", "--json");

        // The frame's source MAC as the framer wrote it; none going out, none on a link without addresses.
        Assert.Equal(["02:00:00:00:00:01", "nil", "nil"], Errors(run));
        Assert.Equal(["nil", "nil", "nil"], Errors(asOutput));
    }

    [Fact]
    public async Task Meta_Options_SupplyOrOverrideEveryPacketsContext()
    {
        using var directory = new TempDirectory();
        string capture = directory.File("in.pcapng");
        using (FileStream file = File.Create(capture))
        {
            var writer = new PcapNgWriter(file);
            writer.WritePacket(writer.AddInterface(CaptureLinkType.Raw, name: "eth0"), s_packet, CaptureDirection.Inbound);
        }

        string pcap = Captures.WritePcap(directory.File("plain.pcap"), CaptureLinkType.Raw, s_packet);
        string rule = directory.WriteFile("meta.lua", ShowMeta);

        CliRun overridden = await CliRun.RunAsync("test", rule, capture, "--hook", "forward", "--outdev", "br0", "--uid", "1000", "--gid", "100", "--mark", "0x10", "--json");
        CliRun supplied = await CliRun.RunAsync("test", rule, pcap, "--hook", "output", "--outdev", "eth1", "--uid", "0", "--json");

        Assert.Equal(["forward|eth0|br0|1000|100|16"], Errors(overridden));
        Assert.Equal(["output|nil|eth1|0|nil|0"], Errors(supplied));
    }

    [Theory]
    [InlineData("--hook", "inptu", "nflua-ctl: --hook must be prerouting, input, forward, output or postrouting, not 'inptu'")]
    [InlineData("--uid", "-1", "nflua-ctl: --uid must be 0 to 4294967295 (or 0x0 to 0xffffffff), not '-1'")]
    [InlineData("--mark", "4294967296", "nflua-ctl: --mark must be 0 to 4294967295 (or 0x0 to 0xffffffff), not '4294967296'")]
    [InlineData("--indev", "a/b", "nflua-ctl: --indev must be an interface name (1 to 15 characters, no '/' or spaces), not 'a/b'")]
    [InlineData("--set", "bad-nets=lists/bad.txt", "nflua-ctl: --set takes NAME=KIND:FILE (KIND: cidr, domain or string), e.g. bad-nets=cidr:lists/bad.txt, not 'bad-nets=lists/bad.txt'")]
    [InlineData("--set", "bad-nets=ip:lists/bad.txt", "nflua-ctl: --set bad-nets: unknown kind 'ip' (cidr, domain or string)")]
    [InlineData("--param", "ports", "nflua-ctl: --param takes key=value, not 'ports'")]
    public async Task BadContextOrDataOption_IsOneLineAndExitCode2(string option, string value, string expected)
    {
        CliRun run = await CliRun.RunAsync("test", "rule.lua", "capture.pcap", option, value);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Equal([expected, "Run 'nflua-ctl test --help' for usage."], run.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Sets_FromFiles_AreTheRulesNamedSets()
    {
        using var directory = new TempDirectory();
        string nets = directory.WriteFile("bad-nets.txt", "# blocklist\n198.51.100.0/24\n2001:db8::/32\n");
        string names = directory.WriteFile("names.txt", "example.com\n");
        string rule = directory.WriteFile("sets.lua",
            "local bad, names = nflua.set('bad-nets'), nflua.set('names')\n"
            + "function filter(pkt) return not bad:contains(pkt, 'dst') and names:contains('www.example.com') end\n");
        string capture = Captures.WritePcap(directory.File("c.pcap"), CaptureLinkType.Raw,
            s_packet, TestPackets.Udp("192.0.2.1", 5000, "203.0.113.9", 53, [1]));

        CliRun run = await CliRun.RunAsync("test", rule, capture, "--set", $"bad-nets=cidr:{nets}", "--set", $"names=domain:{names}");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("2 records, 2 filtered: 1 pass, 1 drop;", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sets_MalformedLine_IsRefusedWithFileAndLine()
    {
        using var directory = new TempDirectory();
        string nets = directory.WriteFile("bad-nets.txt", "198.51.100.0/24\n10.0.0.0/33\n");
        string capture = Captures.WritePcap(directory.File("c.pcap"), CaptureLinkType.Raw, s_packet);

        CliRun run = await CliRun.RunAsync("test", RepositoryFiles.Example("ssh-banner.lua"), capture, "--set", $"bad-nets=cidr:{nets}");

        Assert.Equal(ExitCodes.InputError, run.ExitCode);
        string line = Assert.Single(run.Error.TrimEnd().Split('\n'));
        Assert.StartsWith($"{nets}:2: ", line, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task Params_FromFileAndOptions_AreTypedAndTheOptionsWin()
    {
        using var directory = new TempDirectory();
        string file = directory.WriteFile("params.lua", "-- parameters\nreturn { mode = 'strict', ports = { 22, 2222 }, limits = { rate = 10 }, debug = false }\n");
        string rule = directory.WriteFile("params.lua.rule",
            "local p = nflua.params\n"
            + "function filter(pkt) return p.mode == 'lenient' and p.ports[2] == 2222 and p.limits.rate == 10 and p.debug == true "
            + "and p.max == 42 and math.type(p.max) == 'integer' and p.mask == 255 and p.name == 'x=1' end\n");
        string capture = Captures.WritePcap(directory.File("c.pcap"), CaptureLinkType.Raw, s_packet);

        CliRun run = await CliRun.RunAsync("test", rule, capture, "--params", file, "--param", "mode=lenient", "--param", "debug=true",
            "--param", "max=42", "--param", "mask=0xff", "--param", "name=x=1");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("1 records, 1 filtered: 1 pass;", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("return { ports = { 22, function() end } }", "params.ports[2] is a function: parameters are strings, integers, booleans and tables of them")]
    [InlineData("return { x = io.open('/etc/passwd') }", "attempt to index a nil value (global 'io')")]
    [InlineData("return 42", "the parameters file must return a table, not a number")]
    [InlineData("while true do end", "ran out of its budget")]
    [InlineData("return { rate = 2.5 }", "integer-only: 2.5 is not a number here (scale it: 25 tenths)")]
    public async Task Params_FileWithSomethingElse_IsAClearErrorNamingTheKey(string text, string expected)
    {
        using var directory = new TempDirectory();
        string file = directory.WriteFile("params.lua", text);
        string capture = Captures.WritePcap(directory.File("c.pcap"), CaptureLinkType.Raw, s_packet);

        CliRun run = await CliRun.RunAsync("test", RepositoryFiles.Example("ssh-banner.lua"), capture, "--params", file);

        Assert.Equal(ExitCodes.InputError, run.ExitCode);
        string line = Assert.Single(run.Error.TrimEnd().Split('\n'));
        Assert.StartsWith(file + ":", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaptureCutShort_TestsTheCompleteRecordsWarnsAndSaysSoInTheSummary()
    {
        using var directory = new TempDirectory();
        string whole = Captures.WritePcap(directory.File("whole.pcap"), CaptureLinkType.Ethernet, s_packet, s_packet, s_packet);
        string cut = directory.File("cut.pcap");
        byte[] bytes = File.ReadAllBytes(whole);
        File.WriteAllBytes(cut, bytes[..^1]);

        CliRun text = await CliRun.RunAsync("test", RepositoryFiles.Example("ssh-banner.lua"), cut);
        CliRun json = await CliRun.RunAsync("test", RepositoryFiles.Example("ssh-banner.lua"), cut, "--json");

        Assert.Equal(ExitCodes.Success, text.ExitCode);
        int frame = 14 + s_packet.Length;
        string expected = $"record 3 is cut short: the file ends {frame - 1} bytes into its {frame} bytes";
        Assert.Equal($"nflua-ctl: test: warning: {cut}: {expected}; the records before it were tested", run(text.Error));
        Assert.Contains("2 records, 2 filtered: 2 pass;", text.Output, StringComparison.Ordinal);
        Assert.Contains($"the capture is cut short: {expected} (not tested)", text.Output, StringComparison.Ordinal);
        using JsonDocument document = JsonDocument.Parse(json.Output);
        Assert.Equal(expected, document.RootElement.GetProperty("summary").GetProperty("cutShort").GetString());

        static string run(string error) => Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData(CaptureLinkType.Null)]
    [InlineData(CaptureLinkType.Ppp)]
    [InlineData(CaptureLinkType.CiscoHdlc)]
    public async Task SerialAndLoopbackCaptures_AreTested(CaptureLinkType linkType)
    {
        using var directory = new TempDirectory();
        string capture = Captures.WritePcap(directory.File("c.pcap"), linkType, s_packet, s_packet);

        CliRun run = await CliRun.RunAsync("test", RepositoryFiles.Example("ssh-banner.lua"), capture);

        Assert.Contains("2 records, 2 filtered: 2 pass; 0 skipped", run.Output, StringComparison.Ordinal);
    }

    private static string[] Errors(CliRun run)
    {
        using JsonDocument document = JsonDocument.Parse(run.Output);
        return [.. document.RootElement.GetProperty("packets").EnumerateArray().Select(p => p.GetProperty("error").GetString()!)];
    }
}
