using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using NfLua.Control;
using static NfLua.Daemon.Kernel.Tests.KernelEnvironment;

namespace NfLua.Daemon.Kernel.Tests;

/// <summary>Alerts on live traffic: one event per drop up to the rule's limit, the rest counted; the event log survives
/// logrotate; nflua-ctl events --follow sees them as they come.</summary>
public sealed class EventsKernelTests : IDisposable
{
    // Drops every datagram and says so, with the datagram's text (its sequence number) as a field.
    private const string Alerter = """
        function filter(pkt)
          nflua.alert("dropped", { seq = tostring(nflua.payload(pkt)) })
          return false
        end
        """;

    private readonly List<string[]> _rules = [];

    public EventsKernelTests() => Require();

    public void Dispose()
    {
        foreach (string[] rule in _rules)
        {
            Run("iptables", ["-w", "-D", .. rule]);
        }
    }

    [Fact]
    public async Task AlertingOnEveryDrop_UnderLoad_GivesOneEventPerDropUpToTheLimit_AndCountsTheRest()
    {
        Queue(64, "16064");
        using var daemon = DaemonProcess.Start(
            "events { file = \"events.json\", rate = 10, burst = 200 }\nqueue { 64, maxlen = 8192, rule { \"alerter\", script = \"alert.lua\" } }",
            new Dictionary<string, string> { ["alert.lua"] = Alerter });
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(15)), daemon.StdErr);

        var clock = Stopwatch.StartNew();
        Send(16064, 0, 5000);
        RuleStats rule = await WaitForCalls(daemon, "alerter", 5000);
        double seconds = clock.Elapsed.TotalSeconds;
        List<JsonElement> alerts = await WaitForAlerts(Path.Combine(daemon.Directory, "events.json"), rule.Alerts);

        Assert.Equal(5000, rule.Dropped);
        Assert.Equal(rule.Dropped, rule.Alerts + rule.AlertsSuppressed);     // every drop: an event, or counted as suppressed
        Assert.Equal(0, rule.EventsDropped);
        Assert.Equal(rule.Alerts, alerts.Count);                            // every event let through is in the file, once
        Assert.InRange(rule.Alerts, 200, 200 + (10 * (seconds + 1)));          // the burst, then 10/s
        Assert.Equal(alerts.Count, alerts.Select(a => a.GetProperty("fields").GetProperty("seq").GetString()).Distinct().Count());
        Assert.All(alerts, a => Assert.Equal("drop", a.GetProperty("verdict").GetString()));
        Assert.All(alerts, a => Assert.Equal(16064, a.GetProperty("dest_port").GetInt32()));
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task EventsSurviveLogrotate_RenameThenSighup_NoneLostNoneDuplicated()
    {
        Queue(65, "16065");
        using var daemon = DaemonProcess.Start(
            "events { file = \"events.json\", rate = 100000, burst = 100000 }\nqueue { 65, rule { \"alerter\", script = \"alert.lua\" } }",
            new Dictionary<string, string> { ["alert.lua"] = Alerter });
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(15)), daemon.StdErr);
        string file = Path.Combine(daemon.Directory, "events.json");

        // Paced below what the ring holds between two drains (1024 per 50 ms): this test is about the file, not the ring.
        Send(16065, 0, 300, burst: 8);
        await WaitForCalls(daemon, "alerter", 300);
        File.Move(file, file + ".1");                  // logrotate's rename: events go on to the renamed file...
        Send(16065, 300, 200, burst: 8);
        daemon.Signal("HUP");                          // ...until the SIGHUP, after which a new file starts
        Send(16065, 500, 200, burst: 8);
        // The SIGHUP also reloads: it compiles the rule again (its counters start over): count the files' lines.
        Assert.True(SpinWait.SpinUntil(() => File.Exists(file) && Lines(file + ".1").Count + Lines(file).Count >= 700, TimeSpan.FromSeconds(10)), daemon.StdErr);
        await Task.Delay(300, TestContext.Current.CancellationToken); // and nothing more comes

        List<string> seqs = [.. Lines(file + ".1").Concat(Lines(file)).Select(l => Alert(l).GetProperty("fields").GetProperty("seq").GetString()!)];
        Assert.Equal(700, seqs.Count);
        Assert.Equal(Enumerable.Range(0, 700).Select(i => i.ToString(CultureInfo.InvariantCulture)).Order(), seqs.Order());
        Assert.NotEmpty(Lines(file));
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task NfluaCtlEventsFollow_SeesAnAlertAsItHappens()
    {
        Assert.True(File.Exists(NfluaCtl), $"{NfluaCtl} is missing: build the solution in Release first");
        Queue(66, "16066");
        using var daemon = DaemonProcess.Start("queue { 66, rule { \"alerter\", script = \"alert.lua\" } }", new Dictionary<string, string> { ["alert.lua"] = Alerter });
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(15)), daemon.StdErr);

        var psi = new ProcessStartInfo(NfluaCtl) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in (string[])["--socket", daemon.SocketPath, "events", "--follow", "--json", "--rule", "alerter"])
        {
            psi.ArgumentList.Add(a);
        }

        using var follow = Process.Start(psi)!;
        try
        {
            Thread.Sleep(500);                           // following (nothing kept yet: no event of this rule)
            Send(16066, 42, 1);
            // A pipe's read does not heed cancellation: read on a thread of its own and give up on it after 10 s.
            Task<string?> read = Task.Run(follow.StandardOutput.ReadLine, TestContext.Current.CancellationToken);
            bool got = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)) == read;
            string? line = got ? await read : null;
            if (line is null)
            {
                follow.Kill();
                Assert.Fail($"no event within 10 s; nflua-ctl: {follow.StandardError.ReadToEnd()}; nfluad: {daemon.StdErr}");
            }

            JsonElement alert = Alert(line);
            Assert.Equal("alerter", alert.GetProperty("rule").GetString());
            Assert.Equal("42", alert.GetProperty("fields").GetProperty("seq").GetString());
        }
        finally
        {
            follow.Kill();
        }

        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }

    private static JsonElement Alert(string line)
    {
        using JsonDocument document = JsonDocument.Parse(line);
        JsonElement root = document.RootElement.Clone();
        Assert.Equal("alert", root.GetProperty("type").GetString());
        return root;
    }

    private static List<string> Lines(string path) => File.Exists(path) ? [.. File.ReadAllLines(path).Where(l => l.Length > 0)] : [];

    private static async Task<List<JsonElement>> WaitForAlerts(string file, long count)
    {
        var clock = Stopwatch.StartNew();
        List<string> lines;
        while ((lines = Lines(file)).Count < count && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        await Task.Delay(300, TestContext.Current.CancellationToken);                           // and nothing more comes
        return [.. Lines(file).Select(Alert)];
    }

    private static async Task<RuleStats> WaitForCalls(DaemonProcess daemon, string name, long calls)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var stats = (StatsResult)(await daemon.ControlAsync(new StatsRequest())).Result!;
            RuleStats rule = stats.Rules.Single(r => r.Name == name);
            if (rule.Calls >= calls || clock.Elapsed > TimeSpan.FromSeconds(15))
            {
                Assert.True(rule.Calls >= calls, $"{rule.Calls} calls of {calls}; kernel: {File.ReadAllText("/proc/net/netfilter/nfnetlink_queue")}");
                return rule;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Sends datagrams carrying "first" ... "first+count-1" as text.</summary>
    private static void Send(int port, int first, int count, int burst = 256)
    {
        // Not connected: a stray ICMP error must not fail a send.
        using var client = new UdpClient();
        var target = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port);
        for (int i = first; i < first + count; i++)
        {
            client.Send(Encoding.ASCII.GetBytes(i.ToString(CultureInfo.InvariantCulture)), target);
            if (i % burst == burst - 1)
            {
                Thread.Sleep(2); // under load, yet within the queue's length
            }
        }
    }

    private void Queue(ushort queue, string port)
    {
        string[] rule = ["OUTPUT", "-o", "lo", "-p", "udp", "--dport", port, "-j", "NFQUEUE", "--queue-num", queue.ToString(CultureInfo.InvariantCulture)];
        Iptables(["-A", .. rule]);
        _rules.Add(rule);
    }
}
