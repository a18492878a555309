namespace NfLua.Netlink.Kernel.Tests;

/// <summary>
/// Binding a --queue-bypass queue while traffic flows, again and again: every datagram either passes unqueued
/// (nothing bound) or is queued and answered; the bind itself must never lose one. (Between a BIND message and
/// the PARAMS that follow it the kernel drops, bypass or not: a daemon restarting under load lost packets so.)
/// </summary>
public sealed class BindUnderTrafficTests : KernelTest
{
    private const int Binds = 150;

    [Fact]
    public void RepeatedBinds_OfABypassedQueue_UnderTraffic_LoseNothing()
    {
        Rules.Append("filter", "OUTPUT", "-o", "lo", "-p", "udp", "--dport", PortText, "-j", "NFQUEUE", "--queue-num",
            Queue.ToString(System.Globalization.CultureInfo.InvariantCulture), "--queue-bypass");
        // Large enough that the test's own reader never drops: a loss must be the kernel's.
        Udp.ForceReceiveBuffer(16 << 20);
        long sent = 0, received = 0, queued = 0, refused = 0;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var sending = new ManualResetEventSlim(true);
        using var paused = new ManualResetEventSlim(false);
        bool running = true;
        var sendThread = new Thread(() =>
        {
            byte[] datagram = new byte[8];
            while (Volatile.Read(ref running))
            {
                if (!sending.IsSet)
                {
                    paused.Set();
                    sending.Wait();
                    paused.Reset();
                    continue;
                }

                Interlocked.Increment(ref sent);
                try
                {
                    Udp.Send(datagram);
                }
                catch (System.Net.Sockets.SocketException ex)
                {
                    // A drop in OUTPUT fails the send itself (EPERM): lost, and said so.
                    Interlocked.Increment(ref refused);
                    errors.Enqueue(ex.SocketErrorCode.ToString());
                }
                Thread.SpinWait(200);
            }
        }) { IsBackground = true };
        var receiveThread = new Thread(() =>
        {
            // Until stopped, then until quiet.
            while (true)
            {
                if (Udp.TryReceive(TimeSpan.FromMilliseconds(100)) is not null)
                {
                    Interlocked.Increment(ref received);
                }
                else if (!Volatile.Read(ref running))
                {
                    break;
                }
            }
        }) { IsBackground = true };
        receiveThread.Start();
        sendThread.Start();

        for (int bind = 0; bind < Binds; bind++)
        {
            // The daemon's options: conntrack asked for (this kernel refuses it, so that path binds twice), fail-open.
            using (NfQueueSocket queue = NfQueueSocket.Open(new NfQueueOptions { QueueNumber = Queue, Conntrack = true, FailOpen = true }))
            {
                // Serve the queue for a moment (unanswered, the sender's socket buffer would fill and block it),
                // then pause the traffic and answer everything queued before closing: closing drops what is left.
                for (var served = System.Diagnostics.Stopwatch.StartNew(); served.Elapsed < TimeSpan.FromMilliseconds(2);)
                {
                    AcceptAll(queue, 1, ref queued);
                }

                sending.Reset();
                for (var wait = System.Diagnostics.Stopwatch.StartNew(); !paused.IsSet;)
                {
                    Assert.True(wait.Elapsed < Timeout, "the sender did not pause");
                    AcceptAll(queue, 1, ref queued);
                }

                while (AcceptAll(queue, 20, ref queued) > 0)
                {
                }
            }

            sending.Set();
            Thread.Sleep(1); // traffic through the unbound, bypassed queue before the next bind
        }

        Volatile.Write(ref running, false);
        sending.Set();
        Assert.True(sendThread.Join(Timeout));
        Assert.True(receiveThread.Join(Timeout * 3));
        long lost = Interlocked.Read(ref sent) - Interlocked.Read(ref received);
        TestContext.Current.SendDiagnosticMessage($"{Binds} binds: {sent} datagrams sent, {queued} queued and accepted, {lost} lost ({refused} refused at send: {string.Join(", ", errors.Distinct())})");
        Assert.True(queued > 0, "no datagram was ever queued: the test did not exercise the bind");
        Assert.Equal(0, lost);
    }

    private static int AcceptAll(NfQueueSocket queue, int timeoutMilliseconds, ref long queued)
    {
        int n = queue.Receive(timeoutMilliseconds);
        for (int i = 0; i < n; i++)
        {
            queue.SetVerdict(queue.GetPacket(i).Id, NfVerdict.Accept);
        }

        Assert.True(queue.FlushVerdicts());
        queued += n;
        return n;
    }
}
