using NfLua.Scripting;
using static NfLua.Engine.Tests.Rules;

namespace NfLua.Engine.Tests;

/// <summary>Rule swaps during traffic: one snapshot per packet, nothing disposed while in use, nothing leaked.</summary>
public sealed class QueueRulesTests
{
    [Fact]
    public void SwapsDuringTraffic_JudgeEveryPacketByOneWholeSet()
    {
        var queue = new QueueRules(1);
        queue.Publish(_ => Generation(0));
        var retiredRules = new List<LuaRule>();
        using var stop = new CancellationTokenSource();
        long packets = 0, mixed = 0, failures = 0;
        byte[] packet = [0x45, 0, 0, 20];

        var worker = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                RuleSet set = queue.Acquire();
                for (int i = 0; i < 16; i++)
                {
                    PacketDecision decision = set.Evaluate(packet);
                    packets++;
                    if (decision.Kind != DecisionKind.Queue || decision.Mark != decision.QueueNumber)
                    {
                        mixed++;
                    }
                }
            }
        });
        worker.Start();

        for (int generation = 1; generation <= 40; generation++)
        {
            RuleSet old = queue.Published;
            retiredRules.AddRange(old.Rules);
            queue.Publish(_ => Generation(generation));
            Thread.Sleep(2);
        }

        stop.Cancel();
        worker.Join();
        RuleSet final = queue.Acquire();
        foreach (LuaRule rule in final.Rules)
        {
            failures += rule.Counters.Snapshot().Failures;
        }

        Assert.True(packets > 100, $"only {packets} packets judged");
        Assert.Equal(0, mixed);
        Assert.Equal(0, failures);
        Assert.All(retiredRules, rule => Assert.True(rule.IsDisposed, $"{rule.Name} leaked"));
        Assert.All(final.Rules, rule => Assert.False(rule.IsDisposed));
        queue.Clear();
        Assert.All(final.Rules, rule => Assert.True(rule.IsDisposed));
    }

    [Fact]
    public void Acquire_NeverDisposesARuleOfTheSetItReturns()
    {
        var queue = new QueueRules(2);
        LuaRule first = Make("x", "return true");
        queue.Publish(set => set.WithRule(first));
        RuleSet inUse = queue.Acquire();

        LuaRule second = Make("x", "return false");
        queue.Publish(set => set.WithRule(second));
        Assert.False(first.IsDisposed); // the worker has not switched yet
        Assert.Equal(DecisionKind.Accept, inUse.Evaluate([1]).Kind);

        RuleSet next = queue.Acquire();
        Assert.True(first.IsDisposed);
        Assert.Equal(DecisionKind.Drop, next.Evaluate([1]).Kind);
        queue.Clear();
    }

    private static RuleSet Generation(int n) => RuleSet.Of(
    [
        Make($"a{n}", $"nflua.setmark({n}) return true"),
        Make($"b{n}", $"return 'queue', {n}"),
    ]);
}
