using System.Diagnostics;

namespace NfLua.Netlink.Bench;

/// <summary>
/// Accepts every packet of one queue, one flush per received batch, and times the run from the first packet
/// to the last verdict, exactly as the C reference does (CPU time from getrusage via <see cref="Process"/>).
/// </summary>
internal sealed class AcceptAllLoop(BenchArguments arguments)
{
    private const int TickMilliseconds = 200;
    private static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(2);

    public BenchResult Run(NfQueueSocket queue)
    {
        using Process self = Process.GetCurrentProcess();
        var total = Stopwatch.StartNew();
        var sinceFirst = new Stopwatch();
        TimeSpan lastVerdict = TimeSpan.Zero;
        TimeSpan userAtFirst = TimeSpan.Zero;
        TimeSpan systemAtFirst = TimeSpan.Zero;
        double waitAtFirst = 0;
        long packets = 0;
        long receives = 0;
        long flushFailures = 0;
        TimeSpan limit = TimeSpan.FromSeconds(arguments.Seconds);

        while (packets < arguments.Packets)
        {
            if (total.Elapsed > limit || (packets > 0 && sinceFirst.Elapsed - lastVerdict > IdleLimit))
            {
                break;
            }

            int count = queue.Receive(TickMilliseconds);
            if (count == 0)
            {
                continue;
            }

            if (packets == 0)
            {
                self.Refresh();
                userAtFirst = self.UserProcessorTime;
                systemAtFirst = self.PrivilegedProcessorTime;
                waitAtFirst = RunQueueClock.WaitSeconds();
                sinceFirst.Start();
            }

            for (int i = 0; i < count; i++)
            {
                queue.SetVerdict(queue.GetPacket(i).Id, NfVerdict.Accept);
            }

            if (!queue.FlushVerdicts())
            {
                flushFailures++;
            }

            packets += count;
            receives++;
            lastVerdict = sinceFirst.Elapsed;
        }

        self.Refresh();
        double waited = RunQueueClock.WaitSeconds() - waitAtFirst;
        return new BenchResult(
            packets,
            lastVerdict.TotalSeconds,
            (self.UserProcessorTime - userAtFirst).TotalSeconds,
            (self.PrivilegedProcessorTime - systemAtFirst).TotalSeconds,
            receives,
            flushFailures,
            waited,
            queue.Statistics);
    }
}
