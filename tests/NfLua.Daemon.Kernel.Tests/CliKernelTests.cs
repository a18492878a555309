using System.Text.Json;
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
}
