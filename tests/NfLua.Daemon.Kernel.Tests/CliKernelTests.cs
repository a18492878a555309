using System.Buffers.Binary;
using System.Text.Json;
using NfLua.Packets.Capture;
using static NfLua.Daemon.Kernel.Tests.KernelEnvironment;

namespace NfLua.Daemon.Kernel.Tests;

/// <summary>nflua-ctl against a running nfluad: what an operator types, end to end.</summary>
public sealed class CliKernelTests : IDisposable
{
    private readonly List<string[]> _rules = [];

    public CliKernelTests() => Require();

    public void Dispose()
    {
        foreach (string[] rule in _rules)
        {
            Run("iptables", ["-w", "-D", .. rule]);
        }
    }

    [Fact]
    public void NfluaCtl_LoadsListsUnloadsAndReportsCompileErrors()
    {
        Assert.True(File.Exists(NfluaCtl), $"{NfluaCtl} is missing: build the solution in Release first");
        string[] rule = ["OUTPUT", "-o", "lo", "-p", "tcp", "-m", "multiport", "--sports", "22040,22041", "-j", "NFQUEUE", "--queue-num", "40"];
        Iptables(["-A", .. rule]);
        _rules.Add(rule);
        using var daemon = DaemonProcess.Start("queue { 40 }");
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(15)), daemon.StdErr);
        string socket = daemon.SocketPath;

        var load = Run(NfluaCtl, "--socket", socket, "load", "ssh", Path.Combine(Examples, "ssh-banner.lua"), "--queue", "40", "--on-error", "drop");
        Assert.True(load.ExitCode == 0, load.StdErr);
        Assert.Null(Traffic.BannerSeenByClient(22040, "SSH-2.0-OpenSSH_6.4\r\n", TimeSpan.FromSeconds(1)));
        Assert.Equal("SSH-2.0-OpenSSH_9.6\r\n", Traffic.BannerSeenByClient(22041, "SSH-2.0-OpenSSH_9.6\r\n", TimeSpan.FromSeconds(3)));

        var list = Run(NfluaCtl, "--socket", socket, "list", "--json");
        Assert.True(list.ExitCode == 0, list.StdErr);
        using (JsonDocument json = JsonDocument.Parse(list.StdOut))
        {
            JsonElement rule0 = json.RootElement.GetProperty("rules")[0];
            Assert.Equal("ssh", rule0.GetProperty("name").GetString());
            Assert.Equal(40, rule0.GetProperty("queue").GetInt32());
        }

        var stats = Run(NfluaCtl, "--socket", socket, "stats");
        Assert.True(stats.ExitCode == 0, stats.StdErr);
        Assert.Contains("ssh", stats.StdOut, StringComparison.Ordinal);

        string broken = Path.Combine(daemon.Directory, "broken.lua");
        File.WriteAllText(broken, "function filter(pkt)\n  return (\nend\n");
        var refused = Run(NfluaCtl, "--socket", socket, "load", "ssh", broken, "--queue", "40");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("broken.lua:3:", refused.StdErr, StringComparison.Ordinal);

        Assert.Equal(0, Run(NfluaCtl, "--socket", socket, "unload", "ssh").ExitCode);
        Assert.Equal(1, Run(NfluaCtl, "--socket", socket, "unload", "ssh").ExitCode);
        Assert.Equal(0, Run(NfluaCtl, "--socket", socket, "status").ExitCode);
        daemon.Stop(TimeSpan.FromSeconds(20));
        Assert.Equal(3, Run(NfluaCtl, "--socket", socket, "status").ExitCode);
    }

    [Fact]
    public void NfluaCtlTest_OnACaptureOfTheTraffic_GivesTheDaemonsVerdicts()
    {
        Assert.True(File.Exists(NfluaCtl), $"{NfluaCtl} is missing: build the solution in Release first");
        string[] rule = ["OUTPUT", "-o", "lo", "-p", "udp", "--dport", "16041", "-j", "NFQUEUE", "--queue-num", "41"];
        Iptables(["-A", .. rule]);
        _rules.Add(rule);
        string script = Path.Combine(Examples, "rtp-h263.lua");
        using var daemon = DaemonProcess.Start($"queue {{ 41, rule {{ \"rtp\", script = \"{script}\" }} }}");
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(15)), daemon.StdErr);

        // The daemon's verdicts: which of 30 RTP datagrams (payload types 34, 0, 96, ...) arrived.
        int[] payloadTypes = [.. Enumerable.Range(0, 30).Select(i => (i % 3) switch { 0 => 34, 1 => 0, _ => 96 })];
        var arrived = Traffic.DatagramsReceived(16041, payloadTypes.Select((pt, i) => Traffic.Rtp(pt, i)), TimeSpan.FromMilliseconds(700))
            .Select(d => (d[2] << 8) | d[3]).ToHashSet();
        daemon.Stop(TimeSpan.FromSeconds(20));

        // The same datagrams, as IP packets in a capture, through nflua-ctl test.
        string capture = Path.Combine(daemon.Directory, "rtp.pcap");
        using (var file = File.Create(capture))
        {
            var writer = new PcapWriter(file, CaptureLinkType.Raw);
            for (int i = 0; i < payloadTypes.Length; i++)
            {
                writer.WritePacket(UdpPacket(16041, Traffic.Rtp(payloadTypes[i], i)));
            }
        }

        var test = Run(NfluaCtl, "test", script, capture, "--json");
        Assert.True(test.ExitCode == 0, test.StdErr);
        using JsonDocument report = JsonDocument.Parse(test.StdOut);
        var verdicts = report.RootElement.GetProperty("packets").EnumerateArray().Select(p => p.GetProperty("verdict").GetString()).ToList();
        Assert.Equal(payloadTypes.Length, verdicts.Count);
        for (int i = 0; i < payloadTypes.Length; i++)
        {
            Assert.Equal(arrived.Contains(i) ? "pass" : "drop", verdicts[i]);
        }

        Assert.Equal(20, arrived.Count);
    }

    private static byte[] UdpPacket(ushort port, byte[] payload)
    {
        var packet = new byte[28 + payload.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64;
        packet[9] = 17;
        packet[12] = 127; packet[15] = 1; packet[16] = 127; packet[19] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), 40000);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), port);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(24), (ushort)(8 + payload.Length));
        payload.CopyTo(packet, 28);
        return packet;
    }
}
