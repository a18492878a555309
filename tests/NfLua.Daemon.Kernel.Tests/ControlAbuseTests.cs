using System.Diagnostics;
using NfLua.Control;

namespace NfLua.Daemon.Kernel.Tests;

/// <summary>Garbage on the control socket never harms nfluad: afterwards it answers status at once and still loads rules.</summary>
public sealed class ControlAbuseTests
{
    public ControlAbuseTests() => KernelEnvironment.Require();

    [Fact]
    public async Task Abuse_LeavesTheDaemonAnsweringAndLoading()
    {
        using var daemon = DaemonProcess.Start("queue { 30 }");
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(15)), daemon.StdErr);

        using var abuse = new ControlSocketAbuse(daemon.SocketPath, new Random(30), garbageConnections: 1);

        var clock = Stopwatch.StartNew();
        ControlResponse status = await daemon.ControlAsync(new StatusRequest());
        Assert.True(status.IsOk, status.Error?.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"status took {clock.Elapsed}");

        ControlResponse load = await daemon.ControlAsync(new LoadRequest("after-abuse", "function filter(pkt) return true end", 30, "a.lua"));
        Assert.True(load.IsOk, load.Error?.Message);
        Assert.False(daemon.HasExited);
        abuse.Dispose();
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }
}
