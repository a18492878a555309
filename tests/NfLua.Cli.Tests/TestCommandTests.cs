using System.Text.Json;
using System.Text.RegularExpressions;
using NfLua.Packets.Capture;

namespace NfLua.Cli.Tests;

public sealed class TestCommandTests
{
    private static readonly byte[] s_vulnerableBanner = TestPackets.Tcp("192.0.2.1", 22, "198.51.100.7", 51000, "SSH-2.0-OpenSSH_6.4p1 Debian-5\r\n");
    private static readonly byte[] s_currentBanner = TestPackets.Tcp("192.0.2.1", 22, "198.51.100.8", 51001, "SSH-2.0-OpenSSH_9.6p1 Ubuntu-3\r\n");

    [Fact]
    public async Task SshBannerOnEthernetPcap_DropsOpenSsh64AndPassesOpenSsh96()
    {
        using var directory = new TempDirectory();
        string capture = Captures.WritePcap(directory.File("ssh.pcap"), CaptureLinkType.Ethernet, s_vulnerableBanner, s_currentBanner);

        CliRun run = await CliRun.RunAsync("test", RepositoryFiles.Example("ssh-banner.lua"), capture);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        string[] lines = run.Output.Split('\n');
        Assert.Matches(@"^\s*1\s+192\.0\.2\.1:22 -> 198\.51\.100\.7:51000 tcp \d+ bytes\s+drop", lines[1]);
        Assert.Matches(@"^\s*2\s+192\.0\.2\.1:22 -> 198\.51\.100\.8:51001 tcp \d+ bytes\s+pass", lines[2]);
        Assert.Contains("2 records, 2 filtered: 1 pass, 1 drop; 0 skipped (0 not IP); 0 rule failures", run.Output, StringComparison.Ordinal);
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task Summary_TimesTheCalls_InTextAndJson()
    {
        using var directory = new TempDirectory();
        string capture = Captures.WritePcap(directory.File("ssh.pcap"), CaptureLinkType.Ethernet, s_vulnerableBanner, s_currentBanner, s_currentBanner);
        // A rule whose second packet costs far more than the others: the longest call is that packet's.
        string rule = directory.WriteFile("costly.lua", "local n = 0\nfunction filter(pkt)\n  n = n + 1\n  if n == 2 then for i = 1, 300000 do end end\n  return true\nend\n");

        CliRun text = await CliRun.RunAsync("test", rule, capture);
        CliRun json = await CliRun.RunAsync("test", rule, capture, "--json");

        Assert.Equal(ExitCodes.Success, text.ExitCode);
        Match line = Regex.Match(text.Output, @"(?m)^time per call: mean ([\d.]+) (ns|us|ms), max ([\d.]+) (ns|us|ms) \(#2\), measured here after a warm-up; live calls can cost more.*nflua-ctl stats");
        Assert.True(line.Success, text.Output);
        using JsonDocument document = JsonDocument.Parse(json.Output);
        JsonElement summary = document.RootElement.GetProperty("summary");
        long mean = summary.GetProperty("meanCallNanoseconds").GetInt64();
        long max = summary.GetProperty("maxCallNanoseconds").GetInt64();
        Assert.Equal(2, summary.GetProperty("maxCallPacket").GetInt32());
        // 300,000 loop iterations take well over 100 us; the other two calls a few us: the mean is about a third of the max.
        Assert.InRange(max, 100_000, 10_000_000_000);
        Assert.InRange(mean, max / 4, max / 2);
    }

    [Fact]
    public async Task Summary_WithoutAFilteredPacket_HasNoTimes()
    {
        using var directory = new TempDirectory();
        string capture = Captures.WritePcap(directory.File("arp.pcap"), CaptureLinkType.Ethernet, TestPackets.ArpFrame());

        CliRun json = await CliRun.RunAsync("test", RepositoryFiles.Example("ssh-banner.lua"), capture, "--json");
        CliRun text = await CliRun.RunAsync("test", RepositoryFiles.Example("ssh-banner.lua"), capture);

        using JsonDocument document = JsonDocument.Parse(json.Output);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("summary").GetProperty("meanCallNanoseconds").ValueKind);
        Assert.DoesNotContain("time per call", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaxCallTime_SetsTheWallClockLimitOfEachCall()
    {
        using var directory = new TempDirectory();
        string capture = Captures.WritePcap(directory.File("one.pcap"), CaptureLinkType.Raw, TestPackets.Udp("10.0.0.1", 1000, "10.0.0.2", 2000, [1]));
        string rule = directory.File("spin.lua");
        File.WriteAllText(rule, "function filter(pkt)\n  while true do end\nend\n");

        // With no instruction limit to speak of, only the time limit ends the call.
        CliRun run = await CliRun.RunAsync("test", rule, capture, "--max-instructions", "1000000000000", "--max-call-time", "5", "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("\"maxCallTimeMs\": 5", run.Output, StringComparison.Ordinal);
        Assert.Contains("\"failure\": \"time-limit\"", run.Output, StringComparison.Ordinal);

        CliRun refused = await CliRun.RunAsync("test", rule, capture, "--max-call-time", "0");
        Assert.Equal(ExitCodes.UsageError, refused.ExitCode);
        Assert.Contains("--max-call-time must be between 1 and 10000, not 0", refused.Output + refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NowInARule_IsEachPacketsCaptureTime()
    {
        using var directory = new TempDirectory();
        string capture = directory.File("timed.pcap");
        using (FileStream file = File.Create(capture))
        {
            var writer = new PcapWriter(file, CaptureLinkType.Raw, nanosecondTimestamps: true);
            byte[] packet = TestPackets.Udp("10.0.0.1", 1000, "10.0.0.2", 2000, [1]);
            const long start = 1_764_129_600_000_000_000; // 2025-11-26 04:00:00 UTC, in ns
            writer.WritePacket(packet, start);
            writer.WritePacket(packet, start + 999_000_000);   // 999 ms later
            writer.WritePacket(packet, start + 1_000_000_000); // 1000 ms later
        }

        // Drops every packet that comes a second or more after the first one the rule saw.
        string rule = directory.File("window.lua");
        File.WriteAllText(rule, "local first\nfunction filter(pkt)\n  first = first or nflua.now()\n  return nflua.now() - first < 1000\nend\n");

        CliRun run = await CliRun.RunAsync("test", rule, capture);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        string[] lines = run.Output.Split('\n');
        Assert.Matches(@"^\s*1\s.*\spass", lines[1]);
        Assert.Matches(@"^\s*2\s.*\spass", lines[2]);
        Assert.Matches(@"^\s*3\s.*\sdrop", lines[3]);
    }

    [Fact]
    public async Task RtpOnRawPcap_DropsPayloadType34AndPassesPayloadType0()
    {
        using var directory = new TempDirectory();
        string capture = Captures.WritePcap(
            directory.File("rtp.pcap"),
            CaptureLinkType.Raw,
            TestPackets.Udp("10.0.0.1", 20000, "10.0.0.2", 20002, TestPackets.Rtp(34)),
            TestPackets.Udp("10.0.0.1", 20000, "10.0.0.2", 20002, TestPackets.Rtp(0)));

        CliRun run = await CliRun.RunAsync("test", RepositoryFiles.Example("rtp-h263.lua"), capture, "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        JsonElement packets = json.RootElement.GetProperty("packets");
        Assert.Equal("drop", packets[0].GetProperty("verdict").GetString());
        Assert.Equal("pass", packets[1].GetProperty("verdict").GetString());
        Assert.Equal("udp", packets[0].GetProperty("protocol").GetString());
        Assert.Equal(20002, packets[0].GetProperty("destinationPort").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("summary").GetProperty("drop").GetInt32());
    }

    [Fact]
    public async Task PcapNgWithANonIPFrame_ListsEveryVerdictAndReportsTheFrameSkipped()
    {
        using var directory = new TempDirectory();
        string path = directory.File("mixed.pcapng");
        using (FileStream file = File.Create(path))
        {
            var writer = new PcapNgWriter(file);
            int ethernet = writer.AddInterface(CaptureLinkType.Ethernet);
            int cooked = writer.AddInterface(CaptureLinkType.LinuxSll2);
            writer.WritePacket(cooked, s_currentBanner);
            writer.WriteEnhancedPacket(ethernet, TestPackets.ArpFrame());
            writer.WritePacket(ethernet, s_vulnerableBanner);
        }

        CliRun json = await CliRun.RunAsync("test", RepositoryFiles.Example("ssh-banner.lua"), path, "--json");
        CliRun text = await CliRun.RunAsync("test", RepositoryFiles.Example("ssh-banner.lua"), path);

        Assert.Equal(ExitCodes.Success, json.ExitCode);
        using JsonDocument document = JsonDocument.Parse(json.Output);
        JsonElement[] packets = [.. document.RootElement.GetProperty("packets").EnumerateArray()];
        Assert.Equal([1, 2, 3], packets.Select(p => p.GetProperty("index").GetInt32()));
        Assert.Equal("pass", packets[0].GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Null, packets[1].GetProperty("verdict").ValueKind);
        Assert.Equal("not-ip", packets[1].GetProperty("skipped").GetString());
        Assert.Equal("drop", packets[2].GetProperty("verdict").GetString());
        JsonElement summary = document.RootElement.GetProperty("summary");
        Assert.Equal(1, summary.GetProperty("skippedNotIP").GetInt32());
        Assert.Equal(2, summary.GetProperty("filtered").GetInt32());

        Assert.Equal(ExitCodes.Success, text.ExitCode);
        Assert.Matches(@"\n\s*2\s+skipped: not IP\s+-", text.Output);
        Assert.Contains("1 skipped (1 not IP)", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrokenScript_Exits4WithFileAndLine()
    {
        using var directory = new TempDirectory();
        string script = directory.WriteFile("broken.lua", "function filter(pkt)\n  return true\nend end\n");
        string capture = Captures.WritePcap(directory.File("one.pcap"), CaptureLinkType.Raw, s_currentBanner);

        CliRun run = await CliRun.RunAsync("test", script, capture);

        Assert.Equal(ExitCodes.InputError, run.ExitCode);
        Assert.StartsWith($"{script}:3:", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task ScriptWithoutFilter_Exits4NamingTheScript()
    {
        using var directory = new TempDirectory();
        string script = directory.WriteFile("nofilter.lua", "local x = 1\n");
        string capture = Captures.WritePcap(directory.File("one.pcap"), CaptureLinkType.Raw, s_currentBanner);

        CliRun run = await CliRun.RunAsync("test", script, capture);

        Assert.Equal(ExitCodes.InputError, run.ExitCode);
        Assert.Contains(script, run.Error, StringComparison.Ordinal);
        Assert.Contains("filter", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorruptCapture_Exits4WithTheReadersMessage()
    {
        using var directory = new TempDirectory();
        string capture = Captures.WritePcap(directory.File("corrupt.pcap"), CaptureLinkType.Ethernet, s_vulnerableBanner);
        byte[] bytes = File.ReadAllBytes(capture);
        BitConverter.TryWriteBytes(bytes.AsSpan(24 + 8), 0xFFFFFFF0u); // a record length no capture writes
        File.WriteAllBytes(capture, bytes);

        CliRun run = await CliRun.RunAsync("test", RepositoryFiles.Example("ssh-banner.lua"), capture);

        Assert.Equal(ExitCodes.InputError, run.ExitCode);
        Assert.StartsWith($"{capture}: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("record 1", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task NotACapture_Exits4()
    {
        using var directory = new TempDirectory();
        string capture = directory.WriteFile("notes.txt", "this is not a capture at all");

        CliRun run = await CliRun.RunAsync("test", RepositoryFiles.Example("ssh-banner.lua"), capture);

        Assert.Equal(ExitCodes.InputError, run.ExitCode);
        Assert.Contains("not a pcap or pcapng capture", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingCapture_Exits4NamingIt()
    {
        using var directory = new TempDirectory();
        string capture = directory.File("absent.pcap");

        CliRun run = await CliRun.RunAsync("test", RepositoryFiles.Example("ssh-banner.lua"), capture);

        Assert.Equal(ExitCodes.InputError, run.ExitCode);
        Assert.Contains(capture, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostileScript_EveryPacketGetsTheOnErrorVerdictAndFailuresAreCounted()
    {
        using var directory = new TempDirectory();
        string script = directory.WriteFile("spin.lua", "function filter(pkt)\n  while true do end\nend\n");
        string capture = Captures.WritePcap(directory.File("three.pcap"), CaptureLinkType.Ethernet, s_currentBanner, s_vulnerableBanner, s_currentBanner);

        CliRun run = await CliRun.RunAsync("test", script, capture, "--on-error", "drop", "--max-instructions", "10000", "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        foreach (JsonElement packet in json.RootElement.GetProperty("packets").EnumerateArray())
        {
            Assert.Equal("drop", packet.GetProperty("verdict").GetString());
            Assert.Equal("instruction-limit", packet.GetProperty("failure").GetString());
        }

        JsonElement summary = json.RootElement.GetProperty("summary");
        Assert.Equal(3, summary.GetProperty("failures").GetInt32());
        Assert.Equal(3, summary.GetProperty("drop").GetInt32());
        Assert.Equal(10000, json.RootElement.GetProperty("maxInstructions").GetInt64());
    }

    [Fact]
    public async Task FailingScript_PrintsTheRuleFailureMessageAndTheDefaultAcceptVerdict()
    {
        using var directory = new TempDirectory();
        string script = directory.WriteFile("fails.lua", "function filter(pkt)\n  error('no luck')\nend\n");
        string capture = Captures.WritePcap(directory.File("one.pcap"), CaptureLinkType.LinuxSll, s_currentBanner);

        CliRun run = await CliRun.RunAsync("test", script, capture);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Matches(@"\n\s*1\s+.*tcp.*\s+accept\s+rule failed \(script-error\): .*fails\.lua:2: no luck", run.Output);
        Assert.Contains("1 rule failures", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RichVerdicts_ShowQueueMarkAndModified()
    {
        using var directory = new TempDirectory();
        string script = directory.WriteFile("rich.lua",
            "local ip = data.layout{ ttl = {64, 8} }\n" +
            "function filter(pkt)\n  pkt:layout(ip)\n  pkt.ttl = 1\n  nflua.setmark(0x2A)\n  return 'queue', 5\nend\n");
        string capture = Captures.WritePcapNg(directory.File("one.pcapng"), CaptureLinkType.Raw, s_currentBanner);

        CliRun text = await CliRun.RunAsync("test", script, capture);
        CliRun json = await CliRun.RunAsync("test", script, capture, "--json");

        Assert.Equal(ExitCodes.Success, text.ExitCode);
        Assert.Matches(@"\n\s*1\s+.*tcp.*\s+queue 5\s+mark 0x2a; modified", text.Output);
        using JsonDocument document = JsonDocument.Parse(json.Output);
        JsonElement packet = document.RootElement.GetProperty("packets")[0];
        Assert.Equal("queue", packet.GetProperty("verdict").GetString());
        Assert.Equal(5, packet.GetProperty("queue").GetInt32());
        Assert.Equal(42u, packet.GetProperty("mark").GetUInt32());
        Assert.True(packet.GetProperty("modified").GetBoolean());
    }
}
