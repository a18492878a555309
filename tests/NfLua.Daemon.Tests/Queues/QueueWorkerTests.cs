using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using NfLua.Daemon.Configuration;
using NfLua.Daemon.Queues;
using NfLua.Engine;
using NfLua.Scripting;

namespace NfLua.Daemon.Tests.Queues;

/// <summary>The in-process tier: the worker over a fake queue gives every packet exactly one verdict.</summary>
public sealed class QueueWorkerTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);

    [Fact]
    public void Worker_WithFailingRules_AnswersEveryPacketOnce()
    {
        var rules = new QueueRules(3);
        rules.Publish(_ => RuleSet.Of(
        [
            Rule("errors", "if pkt:layout{ b = {0, 8} }.b % 3 == 0 then error('x') end return true", ErrorVerdict.Drop),
            Rule("loops", "if pkt:layout{ b = {0, 8} }.b % 5 == 0 then while true do end end return true", ErrorVerdict.Drop),
            Rule("bad", "if pkt:layout{ b = {0, 8} }.b % 7 == 0 then return 42 end return true", ErrorVerdict.Drop),
        ]));
        var channel = new FakeQueueChannel(3);
        using var worker = new QueueWorker(channel, rules, Settings(channel, failOpen: false), NullLogger.Instance);
        worker.Start();

        for (int i = 0; i < 2000; i++)
        {
            channel.Push([(byte)i]);
        }

        WaitFor(() => channel.Verdicts.Count == 2000);
        worker.Stop(s_wait);
        Assert.Equal(0, channel.DuplicateVerdicts);
        foreach (var (id, decision) in channel.Verdicts)
        {
            int b = (byte)(id - 1);
            bool failing = b % 3 == 0 || b % 5 == 0 || b % 7 == 0;
            Assert.Equal(failing ? DecisionKind.Drop : DecisionKind.Accept, decision.Kind);
        }

        rules.Clear();
    }

    [Fact]
    public void Worker_DuringTwentyRuleSwaps_LosesNothingAndMixesNoSets()
    {
        var rules = new QueueRules(4);
        rules.Publish(_ => Generation(0));
        var channel = new FakeQueueChannel(4);
        using var worker = new QueueWorker(channel, rules, Settings(channel, failOpen: true), NullLogger.Instance);
        worker.Start();

        // Traffic for the whole run; each swap waits until more packets were judged since it was published than one
        // batch holds (64), so at least one whole batch after each swap used the new set: the swaps overlap traffic.
        using var stop = new CancellationTokenSource();
        var producer = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                channel.Push([0x45, 0, 0, 20]);
                if (channel.NotYetReceived > 2000)
                {
                    Thread.Sleep(1);
                }
            }
        });
        producer.Start();
        for (int generation = 1; generation <= 20; generation++)
        {
            int judged = channel.Verdicts.Count;
            WaitFor(() => channel.Verdicts.Count > judged + 200);
            rules.Publish(_ => Generation(generation));
        }

        int afterLastSwap = channel.Verdicts.Count;
        WaitFor(() => channel.Verdicts.Count > afterLastSwap + 200);
        stop.Cancel();
        Assert.True(producer.Join(s_wait));
        WaitFor(() => channel.Verdicts.Count == channel.Pushed);
        worker.Stop(s_wait);

        Assert.Equal(0, channel.DuplicateVerdicts);
        Assert.All(channel.Verdicts.Values, d => Assert.True(d.Kind == DecisionKind.Queue && d.Mark == d.QueueNumber, $"mixed sets: {d}"));
        // Every one of the 21 sets judged packets: each swap happened while traffic flowed.
        Assert.Equal(Enumerable.Range(0, 21), channel.Verdicts.Values.Select(d => (int)d.QueueNumber).Distinct().Order());
        rules.Clear();
    }

    [Fact]
    public void Worker_OnAnIdleQueue_DisposesTheRulesReplacedMeanwhile()
    {
        var rules = new QueueRules(6);
        LuaRule first = Rule("first", "return true", ErrorVerdict.Drop);
        rules.Publish(_ => RuleSet.Of([first]));
        var channel = new FakeQueueChannel(6);
        using var worker = new QueueWorker(channel, rules, Settings(channel, failOpen: false), NullLogger.Instance);
        worker.Start();

        // No packet ever comes: the replaced rule's Lua state must still be freed.
        rules.Publish(_ => RuleSet.Of([Rule("second", "return true", ErrorVerdict.Drop)]));
        WaitFor(() => first.IsDisposed);

        worker.Stop(s_wait);
        rules.Clear();
    }

    [Fact]
    public void Worker_StoppedWithPacketsInFlight_AnswersEveryOneBeforeItEnds()
    {
        var rules = new QueueRules(5);
        rules.Publish(_ => RuleSet.Of([Rule("slowish", "local n = 0 for i = 1, 2000 do n = n + i end return true", ErrorVerdict.Drop)]));
        var channel = new FakeQueueChannel(5);
        var worker = new QueueWorker(channel, rules, Settings(channel, failOpen: false, maxLength: 8192), NullLogger.Instance);
        channel.ReceiveGate.Reset(); // the worker waits in its first receive
        worker.Start();
        WaitFor(() => channel.AtGate);
        for (int i = 0; i < 5000; i++)
        {
            channel.Push([1]);
        }

        worker.RequestStop();
        Assert.Equal(5000, channel.NotYetReceived); // every packet still pending when the stop began
        channel.ReceiveGate.Set();
        Assert.True(worker.Stop(s_wait));

        Assert.Equal(5000, channel.Verdicts.Count);
        Assert.Equal(0, channel.DuplicateVerdicts);
        Assert.All(channel.Verdicts.Values, d => Assert.Equal(DecisionKind.Accept, d.Kind));
        worker.Dispose();
        Assert.True(channel.Disposed);
        rules.Clear();
    }

    [Fact]
    public void Worker_StoppedUnderTrafficThatNeverPauses_EndsWithinItsDrainBound_AnsweringAllItReceived()
    {
        var rules = new QueueRules(7);
        rules.Publish(_ => RuleSet.Of([Rule("pass", "return true", ErrorVerdict.Drop)]));
        var channel = new FakeQueueChannel(7);
        using var worker = new QueueWorker(channel, rules, Settings(channel, failOpen: false, maxLength: 1_000_000), NullLogger.Instance);
        worker.Start();
        using var stop = new CancellationTokenSource();
        var producer = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                channel.Push([1]); // faster than the worker answers: a drain "until quiet" would never end
            }
        });
        producer.Start();
        WaitFor(() => channel.Verdicts.Count > 1000);

        var clock = Stopwatch.StartNew();
        bool stopped = worker.Stop(s_wait);
        TimeSpan stopping = clock.Elapsed;
        stop.Cancel();
        producer.Join();

        Assert.True(stopped);
        Assert.True(stopping < TimeSpan.FromSeconds(5), $"stopping took {stopping}"); // the drain's bound is 1 s
        Assert.True(channel.NotYetReceived > 0); // traffic was still coming
        Assert.Equal(channel.Received, channel.Verdicts.Count); // every packet it took got its verdict
        Assert.Equal(0, channel.DuplicateVerdicts);
        rules.Clear();
    }

    [Theory]
    [InlineData(true, DecisionKind.Accept)]
    [InlineData(false, DecisionKind.Drop)]
    public void Worker_FaultInABatch_GivesTheRestTheFailureVerdict(bool failOpen, DecisionKind expected)
    {
        var rules = new QueueRules(6);
        rules.Publish(_ => RuleSet.Of([Rule("queue-all", "return 'queue', 9", ErrorVerdict.Drop)]));
        var channel = new FakeQueueChannel(6) { FaultyId = 5 };
        using var worker = new QueueWorker(channel, rules, Settings(channel, failOpen), NullLogger.Instance);
        for (int i = 0; i < 10; i++)
        {
            channel.Push([1]);
        }

        worker.Start();
        WaitFor(() => channel.Verdicts.Count == 10);
        worker.Stop(s_wait);
        Assert.Equal(DecisionKind.Queue, channel.Verdicts[4].Kind);
        Assert.Equal(expected, channel.Verdicts[5].Kind);
        Assert.Equal(expected, channel.Verdicts[10].Kind);
        Assert.Equal(1, worker.Counters.Snapshot().WorkerFaults);
        rules.Clear();
    }

    private static QueueConfig Settings(FakeQueueChannel channel, bool failOpen, int maxLength = QueueConfig.DefaultMaxLength) =>
        new() { Number = channel.Queue, FailOpen = failOpen, MaxLength = maxLength };

    private static LuaRule Rule(string name, string body, ErrorVerdict onError) =>
        LuaRule.Compile(name, $"function filter(pkt)\n{body}\nend", name + ".lua", new RuleLimits { MaxInstructions = 20_000, MaxCallTime = TimeSpan.FromSeconds(5), OnError = onError });

    private static RuleSet Generation(int n) => RuleSet.Of(
    [
        Rule($"a{n}", $"nflua.setmark({n}) return true", ErrorVerdict.Drop),
        Rule($"b{n}", $"return 'queue', {n}", ErrorVerdict.Drop),
    ]);

    private static void WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + s_wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            Thread.Sleep(5);
        }
    }
}
