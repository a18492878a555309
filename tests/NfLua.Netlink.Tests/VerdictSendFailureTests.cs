using NfLua.Netlink.Interop;

namespace NfLua.Netlink.Tests;

/// <summary>
/// A verdict send the socket refuses (real errnos from a real socket whose kernel side takes little): no verdict is lost,
/// none is given twice, and no batch answers a packet whose own verdict was not sent yet.
/// </summary>
public sealed class VerdictSendFailureTests
{
    private const ushort QueueNumber = 7;
    private const uint Accept = 1;
    private const uint Drop = 0;

    [Fact]
    public void FlushVerdicts_ADatagramLongerThanTheSocketTakes_IsSentOneVerdictAtATime()
    {
        using var kernel = new FakeKernel(sendBuffer: 4096, sendTimeout: TimeSpan.FromSeconds(10));
        using NfQueueSocket queue = OpenBound(kernel);
        var expected = new Dictionary<uint, uint>();
        for (uint id = 1; id <= 40; id++)
        {
            // ~160 bytes a verdict, 6 KB in all: more than the socket takes in one datagram, each one alone fits.
            expected[id] = id % 3 == 0 ? Drop : Accept;
            queue.SetVerdictWithPayload(id, id % 3 == 0 ? NfVerdict.Drop : NfVerdict.Accept, new byte[120]);
        }

        var model = new KernelVerdictModel(expected.Keys);
        using (var reader = new KernelReader(kernel, model))
        {
            Assert.True(queue.FlushVerdicts());
        }

        AssertEachGotItsOwnVerdictOnce(expected, model);
        Assert.Equal(0, queue.PendingVerdicts);
        Assert.Equal(1, queue.Statistics.SendErrors); // the whole batch, once: EMSGSIZE is not worth repeating
        Assert.Equal(90, queue.Statistics.LastErrno); // EMSGSIZE
        Assert.Equal(40, queue.Statistics.VerdictsSent);
    }

    [Fact]
    public void FlushVerdicts_WhileTheKernelTakesNothing_KeepsTheVerdicts_AndALaterBatchCannotAnswerThem()
    {
        using var kernel = new FakeKernel(sendBuffer: 4096, sendTimeout: TimeSpan.FromMilliseconds(20));
        using NfQueueSocket queue = OpenBound(kernel);
        var expected = new Dictionary<uint, uint>();

        // Drops, each with a mark of its own (never batched), flushed one by one until the fake kernel, which reads
        // nothing, has filled the socket's send buffer and a send fails with EAGAIN.
        uint id = 0;
        bool sent = true;
        while (sent)
        {
            id++;
            Assert.True(id < 500, "the send buffer never filled");
            expected[id] = Drop;
            queue.SetVerdict(id, NfVerdict.Drop, mark: id);
            sent = queue.FlushVerdicts();
        }

        Assert.Equal(11, queue.Statistics.LastErrno); // EAGAIN
        Assert.Equal(1, queue.PendingVerdicts);

        // Accepts for the next ids: consecutive, so they are answered with one VERDICT_BATCH, which covers every queued
        // id up to its own. The unsent drop must reach the kernel before it.
        for (int i = 0; i < 5; i++)
        {
            id++;
            expected[id] = Accept;
            queue.SetVerdict(id, NfVerdict.Accept);
        }

        var model = new KernelVerdictModel(expected.Keys);
        using (var reader = new KernelReader(kernel, model))
        {
            Assert.True(queue.FlushVerdicts());
        }

        AssertEachGotItsOwnVerdictOnce(expected, model);
        Assert.True(queue.Statistics.SendErrors >= 2, $"{queue.Statistics.SendErrors} failed sends"); // tried again before giving up
    }

    private static void AssertEachGotItsOwnVerdictOnce(Dictionary<uint, uint> expected, KernelVerdictModel model)
    {
        Assert.Equal(expected, model.Verdicts);
        Assert.Empty(model.StillQueued);
        Assert.Equal(0, model.Unmatched); // no verdict named a packet already answered
    }

    private static NfQueueSocket OpenBound(FakeKernel kernel)
    {
        kernel.Ack(1);
        NfQueueSocket queue = NfQueueSocket.Open(new NfQueueOptions { QueueNumber = QueueNumber }, kernel.TakeSocket());
        Assert.NotNull(kernel.Sent()); // the BIND message
        return queue;
    }

    /// <summary>Reads what the library sends, as the kernel would, until disposed; then reads what is left.</summary>
    private sealed class KernelReader : IDisposable
    {
        private readonly FakeKernel _kernel;
        private readonly KernelVerdictModel _model;
        private readonly Thread _thread;
        private volatile bool _stop;

        public KernelReader(FakeKernel kernel, KernelVerdictModel model)
        {
            _kernel = kernel;
            _model = model;
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    if (!ReadOne())
                    {
                        Thread.Sleep(1);
                    }
                }
            });
            _thread.Start();
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
            while (ReadOne())
            {
            }
        }

        private bool ReadOne()
        {
            if (_kernel.Sent() is not { } datagram)
            {
                return false;
            }

            _model.Apply(datagram);
            return true;
        }
    }
}
