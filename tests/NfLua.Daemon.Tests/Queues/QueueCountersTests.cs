using NfLua.Daemon.Queues;

namespace NfLua.Daemon.Tests.Queues;

public sealed class QueueCountersTests
{
    [Fact]
    public void WorkerAllocation_CountsTheSamplingThreadOnly_FromItsFirstSample()
    {
        var counters = new QueueCounters();
        long fromOtherThread = -1, atFirstSample = -1;
        var worker = new Thread(() =>
        {
            counters.SampleWorkerAllocation();
            atFirstSample = counters.WorkerAllocatedBytes;
            byte[] kept = new byte[100_000];
            GC.KeepAlive(kept);
            // Another thread allocating meanwhile is not counted.
            var other = new Thread(() => GC.KeepAlive(new byte[1_000_000]));
            other.Start();
            other.Join();
            counters.SampleWorkerAllocation();
            fromOtherThread = counters.WorkerAllocatedBytes;
        });
        worker.Start();
        worker.Join();

        Assert.Equal(0, atFirstSample);
        Assert.InRange(fromOtherThread, 100_000, 200_000);
        Assert.Equal(fromOtherThread, counters.WorkerAllocatedBytes);
    }
}
