namespace NfLua.Netlink.Kernel.Tests;

public sealed class OverloadTests : KernelTest
{
    [Fact]
    public void FailOpen_AcceptsWhatOverflowsTheQueue()
    {
        QueueUdpTo(Queue);
        NfQueueSocket queue = Open(new NfQueueOptions { QueueNumber = Queue, MaxLength = 2, FailOpen = true });

        for (int i = 0; i < 10; i++)
        {
            Udp.Send($"overflow {i}");
        }

        var arrived = new List<string>();
        while (Udp.TryReceiveText(Silence) is { } text)
        {
            arrived.Add(text);
        }

        Assert.Equal(Enumerable.Range(2, 8).Select(i => $"overflow {i}"), arrived);
        NfQueueKernelCounters? counters = NfQueueProcReader.Find(Queue);
        Assert.Equal(2u, counters?.Waiting);
        Assert.Equal(0u, counters?.QueueDropped); // fail-open accepts without counting a drop
        foreach (QueuedPacket packet in ReceivePackets(queue, 2))
        {
            queue.SetVerdict(packet.Id, NfVerdict.Accept);
        }

        Assert.True(queue.FlushVerdicts());
        Assert.Equal("overflow 0", Udp.TryReceiveText(Timeout));
        Assert.Equal("overflow 1", Udp.TryReceiveText(Timeout));
    }

    [Fact]
    public void FailClosed_DropsWhatOverflowsTheQueue_AndCountsIt()
    {
        QueueUdpTo(Queue);
        NfQueueSocket queue = Open(new NfQueueOptions { QueueNumber = Queue, MaxLength = 2 });

        for (int i = 0; i < 5; i++)
        {
            Udp.Send($"overflow {i}");
        }

        foreach (QueuedPacket packet in ReceivePackets(queue, 2))
        {
            queue.SetVerdict(packet.Id, NfVerdict.Accept);
        }

        Assert.True(queue.FlushVerdicts());
        Assert.Equal("overflow 0", Udp.TryReceiveText(Timeout));
        Assert.Equal("overflow 1", Udp.TryReceiveText(Timeout));
        Assert.Null(Udp.TryReceive(Silence));
        Assert.Equal(3u, NfQueueProcReader.Find(Queue)?.QueueDropped);
    }

    [Fact]
    public void FullReceiveBuffer_DropsInTheKernel_AndNeverStopsTheReader()
    {
        const int count = 200;
        QueueUdpTo(Queue);
        NfQueueSocket queue = Open(new NfQueueOptions { QueueNumber = Queue, ReceiveBufferSize = 4096 });
        for (int i = 0; i < count; i++)
        {
            Udp.Send($"flood {i}");
        }

        int answered = 0;
        while (queue.Receive((int)Silence.TotalMilliseconds) is var n and > 0)
        {
            for (int i = 0; i < n; i++)
            {
                queue.SetVerdict(queue.GetPacket(i).Id, NfVerdict.Accept);
            }

            answered += n;
            Assert.True(queue.FlushVerdicts());
        }

        NfQueueKernelCounters? counters = NfQueueProcReader.Find(Queue);
        Assert.NotNull(counters);
        Assert.InRange(answered, 1, count - 1);
        Assert.Equal((uint)(count - answered), counters.UserDropped);
        Assert.Equal(0u, counters.Waiting);
        Udp.Send("after");
        queue.SetVerdict(ReceivePacket(queue).Id, NfVerdict.Accept);
        Assert.True(queue.FlushVerdicts());
        Assert.Equal(0, queue.Statistics.NoBufferErrors);
    }

    [Fact]
    public void Open_WhileTrafficFlows_DeliversEveryQueuedPacketOnce()
    {
        QueueUdpTo(Queue);
        using var stop = new ManualResetEventSlim();
        var sender = new Thread(() =>
        {
            for (int i = 0; !stop.Wait(1); i++)
            {
                Udp.Send($"flow {i}");
            }
        });
        sender.Start();
        Thread.Sleep(20);
        NfQueueSocket queue = Open();

        var delivered = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMilliseconds(300))
        {
            Pump(queue, delivered, 10);
        }

        stop.Set();
        Assert.True(sender.Join(Timeout));
        while (Pump(queue, delivered, (int)Silence.TotalMilliseconds) > 0)
        {
        }

        while (Udp.TryReceiveText(Silence) is { } text)
        {
            delivered.Add(text);
        }

        Assert.True(queue.Statistics.Packets > 0);
        Assert.Equal(queue.Statistics.Packets, delivered.Count);
        Assert.Equal(delivered.Count, delivered.Distinct().Count());
        Assert.Equal(0, queue.Statistics.VerdictErrors);
        Assert.Equal(0, queue.Statistics.Malformed);
        Assert.Equal(0u, NfQueueProcReader.Find(Queue)?.Waiting);
    }

    private int Pump(NfQueueSocket queue, List<string> delivered, int timeoutMilliseconds)
    {
        int n = queue.Receive(timeoutMilliseconds);
        for (int i = 0; i < n; i++)
        {
            queue.SetVerdict(queue.GetPacket(i).Id, NfVerdict.Accept);
        }

        Assert.True(queue.FlushVerdicts());
        while (Udp.TryReceiveText(TimeSpan.Zero) is { } text)
        {
            delivered.Add(text);
        }

        return n;
    }
}
