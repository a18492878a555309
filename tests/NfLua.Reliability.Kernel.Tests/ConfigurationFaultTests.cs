using NfLua.Daemon.Kernel.Tests;
using static NfLua.Reliability.Kernel.Tests.Probes;

namespace NfLua.Reliability.Kernel.Tests;

/// <summary>The configuration file removed or corrupted before a reload: the running rules stay, the error is told, a later good reload works.</summary>
public sealed class ConfigurationFaultTests : IDisposable
{
    private const string DropConfig = "queue { 58, rule { \"r\", script = \"drop.lua\" } }\n";
    private readonly Firewall _firewall = new();

    public ConfigurationFaultTests() => KernelEnvironment.Require();

    public void Dispose() => _firewall.Dispose();

    [Fact]
    public async Task RemovedOrCorruptedConfiguration_KeepsTheRunningRules()
    {
        _firewall.QueueUdp(58, 17058);
        using var daemon = DaemonProcess.Start(DropConfig, new Dictionary<string, string>
        {
            ["drop.lua"] = "function filter(pkt) return false end",
            ["pass.lua"] = "function filter(pkt) return true end",
        });
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(30)), daemon.StdErr);
        using var probe = new UdpProbe(17058);
        Assert.False(probe.Passes(TimeSpan.FromMilliseconds(300)));

        (string Fault, Action Break, string Logged)[] faults =
        [
            ("removed", () => File.Delete(daemon.ConfigPath), "cannot read the configuration"),
            ("syntax error", () => File.WriteAllText(daemon.ConfigPath, "queue { 58, rule { \"r\", script = \"pass.lua\" }\n"), "nfluad.lua:"),
            ("bad value", () => File.WriteAllText(daemon.ConfigPath, "queue { 58, maxlen = \"lots\", rule { \"r\", script = \"pass.lua\" } }\n"), "nfluad.lua:1: maxlen"),
            ("missing script", () => File.WriteAllText(daemon.ConfigPath, "queue { 58, rule { \"r\", script = \"gone.lua\" } }\n"), "gone.lua"),
        ];
        int refusals = 0;
        foreach (var (fault, breakIt, logged) in faults)
        {
            breakIt();
            daemon.Signal("HUP");
            refusals++;
            Assert.True(WaitUntil(() => Count(daemon.StdErr, "reload refused") >= refusals, TimeSpan.FromSeconds(15)), $"{fault}: {daemon.StdErr}");
            Assert.Contains(logged, daemon.StdErr, StringComparison.Ordinal);

            long dropped = (await QueueStatsAsync(daemon, 58)).Dropped;
            Assert.False(probe.Passes(TimeSpan.FromMilliseconds(300)), $"{fault}: the running drop rule is gone");
            Assert.Equal(dropped + 1, (await QueueStatsAsync(daemon, 58)).Dropped); // judged by the rule, not lost

            // nflua-ctl reload says why, and changes nothing either.
            var reload = Ctl(daemon, "reload");
            Assert.Equal(1, reload.ExitCode);
            Assert.Contains("reload refused, the running rules stay", reload.StdErr, StringComparison.Ordinal);
            refusals = Count(daemon.StdErr, "reload refused");
        }

        Assert.False(daemon.HasExited);
        File.WriteAllText(daemon.ConfigPath, "queue { 58, rule { \"r\", script = \"pass.lua\" } }\n");
        daemon.Signal("HUP");
        Assert.True(WaitUntil(() => daemon.StdErr.Contains("configuration reloaded", StringComparison.Ordinal), TimeSpan.FromSeconds(15)), daemon.StdErr);
        Assert.True(probe.Passes(TimeSpan.FromSeconds(2)));
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }

    private static int Count(string text, string what) => text.Split(what).Length - 1;
}
