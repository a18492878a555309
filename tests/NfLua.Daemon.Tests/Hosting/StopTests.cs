using NfLua.Engine;

namespace NfLua.Daemon.Tests.Hosting;

/// <summary>Stopping answers every packet the queues hold, on every queue, all queues at once.</summary>
public sealed class StopTests
{
    [Fact]
    public async Task Stop_AnswersEveryQueuedPacketOnEveryQueue()
    {
        await using var daemon = DaemonHarness.Create(
            "queue { first = 0, last = 3, maxlen = 4096, rule { \"slow\", script = \"slow.lua\", max_call_time_ms = 5000 } }",
            new Dictionary<string, string> { ["slow.lua"] = "function filter(pkt) local n = 0 for i = 1, 2000 do n = n + i end return false end" });
        await daemon.StartAsync();
        var channels = Enumerable.Range(0, 4).Select(q => daemon.Channels.Bound((ushort)q)).ToList();

        // Hold every worker, queue 1000 packets on each, and stop while they all wait.
        channels.ForEach(c => c.ReceiveGate.Reset());
        DaemonHarness.WaitUntil(() => channels.All(c => c.AtGate), "every worker held in a receive");
        foreach (var channel in channels)
        {
            for (int i = 0; i < 1000; i++)
            {
                channel.Push([1]);
            }
        }

        Assert.All(channels, c => Assert.Equal(1000, c.NotYetReceived));
        Task stop = daemon.StopAsync();
        DaemonHarness.WaitUntil(() => daemon.Workers.All.All(w => w.Stopping), "every worker asked to stop");
        Assert.All(channels, c => Assert.Equal(1000, c.NotYetReceived)); // all still waiting when the stop began
        channels.ForEach(c => c.ReceiveGate.Set());
        await stop;

        Assert.All(channels, c =>
        {
            Assert.Equal(1000, c.Verdicts.Count);
            Assert.Equal(0, c.DuplicateVerdicts);
            Assert.All(c.Verdicts.Values, d => Assert.Equal(DecisionKind.Drop, d.Kind)); // judged by the rule, not a fallback
            Assert.True(c.Disposed);
        });
        Assert.True(daemon.Logs.Contains("every queue drained and unbound"), daemon.Logs.Text);
    }
}
