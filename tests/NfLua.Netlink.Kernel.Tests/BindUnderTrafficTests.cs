namespace NfLua.Netlink.Kernel.Tests;

/// <summary>
/// Binding a --queue-bypass queue while traffic flows, again and again: every datagram either passes unqueued
/// (nothing bound) or is queued and answered. The kernel drops, bypass or not, what reaches a queue that is bound
/// but still in copy mode NONE. BIND and PARAMS sent as two messages left that state open between them: 39 and 63
/// datagrams lost per 300 binds. Sent as one message it lasts only from the kernel's publishing the new queue to
/// its applying PARAMS a few instructions later in the same call, which no user of the kernel can close: 0 in
/// three runs of 300 binds here, 1 in one CI run of 150 (a virtual CPU paused at the wrong moment). The test
/// allows that residue.
/// </summary>
public sealed class BindUnderTrafficTests : KernelTest
{
    private const int Binds = 300;

    /// <summary>The kernel's own window (above); the two-message bind lost 39 and 63 per 300.</summary>
    private const int KernelResidue = 2;

    [Fact]
    public void RepeatedBinds_OfABypassedQueue_UnderTraffic_LoseNothingBeyondTheKernelsWindow()
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
        Assert.True(lost <= KernelResidue, $"{lost} datagrams lost over {Binds} binds under traffic");
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
