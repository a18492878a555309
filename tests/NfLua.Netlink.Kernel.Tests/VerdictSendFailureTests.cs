namespace NfLua.Netlink.Kernel.Tests;

/// <summary>The real kernel refuses a verdict datagram: every packet still gets its own verdict, exactly once.</summary>
public sealed class VerdictSendFailureTests : KernelTest
{
    [Fact]
    public void ABatchTheKernelRefuses_IsSentOneVerdictAtATime_AndEveryPacketGetsItsOwn()
    {
        QueueUdpTo(Queue);
        // A send buffer of ~4.5 KB: netlink refuses a longer datagram with EMSGSIZE, while one verdict fits easily.
        NfQueueSocket queue = Open(new NfQueueOptions { QueueNumber = Queue, SendBufferSize = 2048 });
        const int count = 40;
        for (int i = 0; i < count; i++)
        {
            Udp.Send($"{i:D3}" + new string('x', 200));
        }

        List<QueuedPacket> packets = ReceivePackets(queue, count);
        foreach (QueuedPacket packet in packets)
        {
            // Every third dropped; each verdict carries the packet (unchanged), so none of them can be batched.
            int n = int.Parse(System.Text.Encoding.ASCII.GetString(packet.UdpData, 0, 3), System.Globalization.CultureInfo.InvariantCulture);
            queue.SetVerdictWithPayload(packet.Id, n % 3 == 0 ? NfVerdict.Drop : NfVerdict.Accept, packet.Payload);
        }

        Assert.True(queue.FlushVerdicts());

        var arrived = new List<int>();
        while (Udp.TryReceive(Silence) is { } datagram)
        {
            arrived.Add(int.Parse(System.Text.Encoding.ASCII.GetString(datagram, 0, 3), System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(Enumerable.Range(0, count).Where(n => n % 3 != 0), arrived.Order());
        Assert.Equal(0u, NfQueueProcReader.Find(Queue)?.Waiting);
        Assert.Equal(1, queue.Statistics.SendErrors);
        Assert.Equal(90, queue.Statistics.LastErrno); // EMSGSIZE
        Assert.Equal(0, queue.Receive(300)); // reads the kernel's error replies, if any
        Assert.Equal(0, queue.Statistics.VerdictErrors); // none: no verdict named a packet already answered
    }
}
