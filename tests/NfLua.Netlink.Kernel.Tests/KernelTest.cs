using System.Diagnostics;

namespace NfLua.Netlink.Kernel.Tests;

/// <summary>
/// Base of every kernel test: its own queue numbers and UDP port, the iptables rules it adds (removed in
/// Dispose), and helpers to read queues with a deadline.
/// </summary>
public abstract class KernelTest : IDisposable
{
    private static int s_nextQueue = 100;
    private static int s_nextPort = 40000;
    private readonly List<IDisposable> _owned = [];

    protected KernelTest()
    {
        Preconditions.Check();
        Queue = (ushort)Interlocked.Add(ref s_nextQueue, 2);
        SecondQueue = (ushort)(Queue + 1);
        Port = Interlocked.Increment(ref s_nextPort);
        Comment = $"nflua-test-{Queue}";
        Udp = new LoopbackUdp(Port);
    }

    internal static TimeSpan Timeout => TimeSpan.FromSeconds(3);

    internal static TimeSpan Silence => TimeSpan.FromMilliseconds(300);

    internal ushort Queue { get; }

    internal ushort SecondQueue { get; }

    internal int Port { get; }

    internal string Comment { get; }

    internal LoopbackUdp Udp { get; }

    internal IptablesRules Rules { get; } = new();

    internal string PortText => Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Sends UDP to our port through queue <paramref name="queue"/> (filter OUTPUT).</summary>
    internal void QueueUdpTo(ushort queue, params string[] extraMatch) =>
        Rules.Append("filter", "OUTPUT", ["-o", "lo", "-p", "udp", "--dport", PortText, .. extraMatch, "-j", "NFQUEUE", "--queue-num", queue.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    internal NfQueueSocket Open(NfQueueOptions options)
    {
        NfQueueSocket queue = NfQueueSocket.Open(options);
        _owned.Add(queue);
        return queue;
    }

    internal NfQueueSocket Open(ushort? queue = null) => Open(new NfQueueOptions { QueueNumber = queue ?? Queue });

    /// <summary>Reads until <paramref name="count"/> packets arrived; fails the test after <see cref="Timeout"/>.</summary>
    internal static List<QueuedPacket> ReceivePackets(NfQueueSocket queue, int count)
    {
        var packets = new List<QueuedPacket>();
        var clock = Stopwatch.StartNew();
        while (packets.Count < count)
        {
            Assert.True(clock.Elapsed < Timeout, $"queue {queue.Settings.QueueNumber}: {packets.Count} of {count} packets within {Timeout}");
            int n = queue.Receive(50);
            for (int i = 0; i < n; i++)
            {
                packets.Add(QueuedPacket.From(queue.GetPacket(i)));
            }
        }

        return packets;
    }

    internal static QueuedPacket ReceivePacket(NfQueueSocket queue) => Assert.Single(ReceivePackets(queue, 1));

    /// <summary>Asserts no packet arrives on <paramref name="queue"/> for <see cref="Silence"/>.</summary>
    internal static void AssertNoPacket(NfQueueSocket queue)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Silence)
        {
            Assert.Equal(0, queue.Receive(50));
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, reading replies from <paramref name="queue"/>.</summary>
    internal static void PumpUntil(NfQueueSocket queue, Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Timeout, $"{what} within {Timeout}");
            Assert.Equal(0, queue.Receive(20));
        }
    }

    public void Dispose()
    {
        Rules.Dispose();
        foreach (IDisposable owned in _owned)
        {
            owned.Dispose();
        }

        Udp.Dispose();
        GC.SuppressFinalize(this);
    }
}
