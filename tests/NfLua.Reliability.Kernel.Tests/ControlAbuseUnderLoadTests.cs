using System.Diagnostics;
using NfLua.Control;
using NfLua.Daemon.Kernel.Tests;
using static NfLua.Reliability.Kernel.Tests.Probes;

namespace NfLua.Reliability.Kernel.Tests;

/// <summary>
/// The control socket abused while packets flow (the cases of the daemon tier's ControlAbuseTests, and a storm of
/// loads): no accepted packet is lost and nfluad keeps answering. Unprivileged users are refused and change nothing.
/// </summary>
public sealed class ControlAbuseUnderLoadTests : IDisposable
{
    private const ushort Queue = 62;
    private const int Port = 17062;
    private readonly Firewall _firewall = new();
    private string? _ctlCopy;

    public ControlAbuseUnderLoadTests() => KernelEnvironment.Require();

    public void Dispose()
    {
        _firewall.Dispose();
        if (_ctlCopy is not null)
        {
            Directory.Delete(_ctlCopy, recursive: true);
        }
    }

    [Fact]
    public async Task Abuse_UnderPacketLoad_LosesNoPacketAndLeavesTheDaemonAnswering()
    {
        _firewall.QueueUdp(Queue, Port);
        using var daemon = DaemonProcess.Start($"queue {{ {Queue}, maxlen = 4096, rule {{ \"pass\", script = \"pass.lua\" }} }}\nqueue {{ 63 }}\n",
            new Dictionary<string, string> { ["pass.lua"] = "function filter(pkt) return true end" });
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(30)), daemon.StdErr);
        using var load = new ClosedLoopLoad(Port, window: 16);
        Assert.True(WaitUntil(() => load.Received > 200, TimeSpan.FromSeconds(10)), "no load");

        using var abuse = new ControlSocketAbuse(daemon.SocketPath, new Random(62), garbageConnections: 20);

        // A storm of requests on another queue: loads, broken loads, unloads, stats, all at once.
        var storm = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            string name = "storm-" + (i % 8).ToString(System.Globalization.CultureInfo.InvariantCulture);
            ControlCommand command = (i % 4) switch
            {
                0 => new LoadRequest(name, "function filter(pkt) return true end", 63, "s.lua"),
                1 => new LoadRequest(name, "function filter(pkt) return (", 63, "s.lua"),
                2 => new UnloadRequest(name),
                _ => new StatsRequest(),
            };
            return await daemon.ControlAsync(command);
        })).ToArray();
        ControlResponse[] answers = await Task.WhenAll(storm);
        Assert.All(answers.Where((_, i) => i % 4 is 0 or 3), a => Assert.True(a.IsOk, a.Error?.Message));
        Assert.All(answers.Where((_, i) => i % 4 == 1), a => Assert.Equal(ControlErrorName.CompileError, a.Error!.Name));

        var clock = Stopwatch.StartNew();
        ControlResponse status = await daemon.ControlAsync(new StatusRequest());
        Assert.True(status.IsOk, status.Error?.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"status took {clock.Elapsed}");

        long lost = load.Stop(TimeSpan.FromSeconds(3));
        Figure("control-abuse-under-load", $"{load.Received} accepted datagrams during the abuse, {lost} lost; status answered in {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(0, lost);
        Assert.Equal(0, KernelEnvironment.Waiting(Queue));
        abuse.Dispose();
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task UnprivilegedUsers_AreRefusedAndChangeNothing()
    {
        _firewall.QueueUdp(64, 17064);
        using var daemon = DaemonProcess.Start("queue { 64, rule { \"pass\", script = \"pass.lua\" } }",
            new Dictionary<string, string> { ["pass.lua"] = "function filter(pkt) return true end" });
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(30)), daemon.StdErr);
        // Let other users reach the socket's directory and the script: only the socket's own mode and the daemon's
        // peer check stand in their way.
        File.SetUnixFileMode(daemon.Directory, (UnixFileMode)0b111_101_101);
        string script = Path.Combine(daemon.Directory, "drop.lua");
        File.WriteAllText(script, "function filter(pkt) return false end");
        File.SetUnixFileMode(script, (UnixFileMode)0b110_100_100);
        using var load = new ClosedLoopLoad(17064, window: 8);

        // nobody:nogroup: the socket's mode (0660, root's group) refuses the connection.
        var nobody = AsUser(["--reuid", "65534", "--regid", "65534", "--clear-groups"], daemon, "load", "evil", script, "--queue", "64");
        Assert.Equal(3, nobody.ExitCode);
        Assert.Contains("ermission denied", nobody.StdErr, StringComparison.Ordinal);

        // nobody in root's group passes the file mode; nfluad's peer check (SO_PEERCRED) refuses it.
        var grouped = AsUser(["--reuid", "65534", "--regid", "0", "--clear-groups"], daemon, "load", "evil", script, "--queue", "64");
        Assert.Equal(1, grouped.ExitCode);
        Assert.Contains("uid 65534", grouped.StdErr, StringComparison.Ordinal);
        Assert.Contains("is not root", grouped.StdErr, StringComparison.Ordinal);
        var unload = AsUser(["--reuid", "65534", "--regid", "0", "--clear-groups"], daemon, "unload", "pass");
        Assert.Equal(1, unload.ExitCode);

        long lost = load.Stop(TimeSpan.FromSeconds(3));
        Assert.Equal(0, lost);
        var rules = ((ListResult)(await daemon.ControlAsync(new ListRequest())).Result!).Rules;
        Assert.Equal("pass", Assert.Single(rules).Name);
        Figure("control.unprivileged", $"nobody: exit {nobody.ExitCode}, \"{nobody.StdErr.Trim()}\"; nobody in root's group: exit {grouped.ExitCode}, \"{grouped.StdErr.Trim()}\"");
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }

    /// <summary>nflua-ctl run as another user, from a copy that user can reach wherever the checkout is.</summary>
    private (int ExitCode, string StdOut, string StdErr) AsUser(string[] identity, DaemonProcess daemon, params string[] args)
    {
        string ctl = _ctlCopy is null ? KernelEnvironment.CopyNfluaCtlForOtherUsers(out _ctlCopy) : Path.Combine(_ctlCopy, Path.GetFileName(KernelEnvironment.NfluaCtl));
        return KernelEnvironment.Run("setpriv", [.. identity, "--", ctl, "--socket", daemon.SocketPath, .. args]);
    }
}
