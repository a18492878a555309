using System.Globalization;
using System.Text;
using NfLua.Control;
using NfLua.Daemon.Kernel.Tests;
using NfLua.Tests.Shared;
using static NfLua.Reliability.Kernel.Tests.Probes;

namespace NfLua.Reliability.Kernel.Tests;

/// <summary>
/// The sandbox's five classes of hostile rules (docs/security.md; the offline tier runs the same
/// scripts), live: each loaded onto a queue of a running nfluad with on_error accept (and its own
/// verdicts turned into accepts), so a probe's trip time is the time to its verdict. Every probe comes back within 100 ms, nfluad
/// keeps answering its control socket, and the queue's next packet is served.
/// </summary>
public sealed class SandboxClassesLiveTests : IDisposable
{
    private const ushort Queue = 62;
    private const int Port = 17062;
    private static readonly TimeSpan s_bound = TimeSpan.FromMilliseconds(100);
    private readonly Firewall _firewall = new();

    public SandboxClassesLiveTests() => KernelEnvironment.Require();

    public void Dispose() => _firewall.Dispose();

    [Fact]
    public async Task EveryHostileScript_GetsItsVerdictWithin100ms_AndNfluadKeepsServing()
    {
        _firewall.QueueUdp(Queue, Port);
        using DaemonProcess daemon = DaemonProcess.Start($"queue {{ {Queue} }}\n");
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(30)), daemon.StdErr);
        using var probe = new UdpProbe(Port);
        var problems = new StringBuilder();
        var trips = new List<double>();
        int tried = 0;

        // Every script with the default 8 MiB, and the first of each class with 1 GiB.
        var cases = HostileScripts.All().Select(s => (s.Name, s.Script, Memory: (long?)null))
            .Concat(HostileScripts.All().GroupBy(s => s.Name.Split('/')[0]).Select(g => (g.First().Name, g.First().Script, Memory: (long?)(1L << 30))));
        foreach (var (name, script, memory) in cases)
        {
            string label = memory is null ? name : $"{name} (1 GiB)";
            // Whatever the script decides, its packet is accepted: a dropped probe would not tell its trip time.
            string accepting = script + "\nlocal hostile_filter = filter\nfunction filter(pkt) hostile_filter(pkt) return true end\n";
            ControlResponse load = await daemon.ControlAsync(new LoadRequest("hostile", accepting, Queue, "hostile.lua", MaxMemory: memory, OnError: RuleFailureVerdict.Accept));
            if (!load.IsOk)
            {
                // A main chunk over its compile limits is refused at load: nothing runs on the queue.
                Assert.Equal(ControlErrorName.CompileError, load.Error!.Name);
                continue;
            }

            tried++;
            for (int i = 0; i < 3; i++)
            {
                TimeSpan? trip = probe.Send(TimeSpan.FromSeconds(5));
                if (trip is null)
                {
                    problems.AppendLine(CultureInfo.InvariantCulture, $"{label}: probe {i} got no verdict within 5 s");
                    continue;
                }

                trips.Add(trip.Value.TotalMilliseconds);
                if (trip.Value >= s_bound)
                {
                    problems.AppendLine(CultureInfo.InvariantCulture, $"{label}: probe {i} took {trip.Value.TotalMilliseconds:F1} ms");
                }
            }

            // nfluad answers, and counted every packet of the rule.
            RuleStats rule = (await StatsAsync(daemon)).Rules.Single(r => r.Name == "hostile");
            if (rule.Calls != 3)
            {
                problems.AppendLine(CultureInfo.InvariantCulture, $"{label}: {rule.Calls} calls counted for 3 probes");
            }

            Assert.False(daemon.HasExited, $"{label} killed nfluad: {daemon.StdErr}");
            await UnloadAsync(daemon, "hostile");
        }

        // The queue still serves packets with no rule at all (accepted): the worker is not stuck.
        Assert.NotNull(probe.Send(TimeSpan.FromSeconds(5)));
        trips.Sort();
        Figure("sandbox-classes.live-scripts", tried.ToString(CultureInfo.InvariantCulture));
        Figure("sandbox-classes.trip-ms", $"median {trips[trips.Count / 2]:F1}, p95 {trips[trips.Count * 95 / 100]:F1}, max {trips[^1]:F1} over {trips.Count} probes");
        Assert.True(tried > 50, $"only {tried} scripts could be loaded");
        Assert.True(problems.Length == 0, problems.ToString());
        Assert.Equal(0, KernelEnvironment.Waiting(Queue));
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }
}
