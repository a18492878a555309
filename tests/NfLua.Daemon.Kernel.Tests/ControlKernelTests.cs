using NfLua.Control;
using static NfLua.Daemon.Kernel.Tests.KernelEnvironment;

namespace NfLua.Daemon.Kernel.Tests;

/// <summary>Rules loaded, replaced and unloaded through the control socket while real traffic flows.</summary>
public sealed class ControlKernelTests : IDisposable
{
    private const string Drop = "function filter(pkt) return false end";
    private const string Pass = "function filter(pkt) return true end";
    private readonly List<string[]> _rules = [];

    public ControlKernelTests() => Require();

    public void Dispose()
    {
        foreach (string[] rule in _rules)
        {
            Run("iptables", ["-w", "-D", .. rule]);
        }
    }

    [Fact]
    public async Task LoadListStatsUnload_ChangeWhatHappensToLiveTraffic()
    {
        Queue(18, "16018");
        using var daemon = DaemonProcess.Start("queue { 18, fail_open = true }");
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(15)), daemon.StdErr);
        Assert.Equal(5, Send(16018, 5).Count);

        ControlResponse load = await daemon.ControlAsync(new LoadRequest("blocker", Drop, 18, "blocker.lua", OnError: RuleFailureVerdict.Drop));
        Assert.True(load.IsOk, load.Error?.Message);
        Assert.Empty(Send(16018, 5));

        var list = (ListResult)(await daemon.ControlAsync(new ListRequest())).Result!;
        RuleInfo info = Assert.Single(list.Rules);
        Assert.Equal(("blocker", 18, 1, RuleFailureVerdict.Drop), (info.Name, info.Queue, info.Position, info.OnError));

        var stats = (StatsResult)(await daemon.ControlAsync(new StatsRequest())).Result!;
        Assert.Equal(5, Assert.Single(stats.Queues).Dropped);
        RuleStats ruleStats = Assert.Single(stats.Rules);
        Assert.Equal((5L, 5L), (ruleStats.Calls, ruleStats.Dropped));

        var status = (StatusResult)(await daemon.ControlAsync(new StatusRequest())).Result!;
        QueueStatus queue = Assert.Single(status.Queues);
        Assert.True(queue.Bound && queue.FailOpen && queue.UidGid);
        Assert.False(queue.ConntrackSupported); // this kernel lacks CONFIG_NETFILTER_NETLINK_GLUE_CT (docs/internals.md, "Binding a queue")
        Assert.Equal(0, queue.Kernel!.Waiting);
        RuntimeStatus runtime = status.Runtime!;
        Assert.True(runtime.AllocatedBytes > 0 && runtime.ResidentBytes > 0 && runtime.ManagedHeapBytes > 0);
        Assert.True(runtime.Gen0Collections >= runtime.Gen1Collections && runtime.Gen1Collections >= runtime.Gen2Collections);

        Assert.True((await daemon.ControlAsync(new UnloadRequest("blocker"))).IsOk);
        Assert.Equal(5, Send(16018, 5).Count);
        Assert.Equal(ControlErrorName.NotFound, (await daemon.ControlAsync(new UnloadRequest("blocker"))).Error!.Name);
        daemon.Stop(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Load_ABrokenScript_ReportsFileAndLineAndKeepsTheOldRule()
    {
        Queue(19, "16019");
        using var daemon = DaemonProcess.Start("queue { 19 }");
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(15)), daemon.StdErr);
        Assert.True((await daemon.ControlAsync(new LoadRequest("r", Drop, 19, "r.lua"))).IsOk);

        ControlResponse broken = await daemon.ControlAsync(new LoadRequest("r", "function filter(pkt)\n  return (\nend", 19, "/srv/r.lua"));
        Assert.Equal(ControlErrorName.CompileError, broken.Error!.Name);
        Assert.Equal(("/srv/r.lua", 3), (broken.Error.File, broken.Error.Line));
        Assert.Empty(Send(16019, 3)); // the old rule still drops
        daemon.Stop(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Load_OntoAQueueNotYetBound_BindsIt()
    {
        Queue(20, "16020");
        using var daemon = DaemonProcess.Start("-- no queues configured\n");
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(15)), daemon.StdErr);
        Assert.Null(Waiting(20));
        Assert.True((await daemon.ControlAsync(new LoadRequest("late", Drop, 20, "late.lua"))).IsOk);
        Assert.NotNull(Waiting(20));
        Assert.Empty(Send(16020, 3));
        daemon.Stop(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task TwentyReplacementsUnderLoad_LoseNoPacketAndLeaveNoneQueued()
    {
        Queue(21, "16021");
        using var daemon = DaemonProcess.Start("queue { 21, maxlen = 4096 }");
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(15)), daemon.StdErr);
        Assert.True((await daemon.ControlAsync(new LoadRequest("r", Pass, 21, "r.lua"))).IsOk);

        int received = 0;
        var load = new Thread(() => received = Traffic.DatagramsReceived(16021, Enumerable.Range(0, 4000).Select(BitConverter.GetBytes), TimeSpan.FromSeconds(2)).Count);
        load.Start();
        for (int i = 0; i < 20; i++)
        {
            string script = i % 2 == 0 ? "function filter(pkt) local n = 0 for i = 1, 30 do n = n + i end return n > 0 end" : Pass;
            ControlResponse replaced = await daemon.ControlAsync(new LoadRequest("r", script, 21, "r.lua"));
            Assert.True(replaced.IsOk, replaced.Error?.Message);
        }

        load.Join();
        Assert.Equal(4000, received);
        Assert.Equal(0, Waiting(21));
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }

    private static List<byte[]> Send(int port, int count) =>
        Traffic.DatagramsReceived(port, Enumerable.Range(0, count).Select(i => new byte[] { (byte)i }), TimeSpan.FromMilliseconds(400));

    private void Queue(ushort queue, string port)
    {
        string[] rule = ["OUTPUT", "-o", "lo", "-p", "udp", "--dport", port, "-j", "NFQUEUE", "--queue-num", queue.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        Iptables(["-A", .. rule]);
        _rules.Add(rule);
    }
}
