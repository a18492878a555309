namespace NfLua.Netlink.Kernel.Tests;

public sealed class BindTests : KernelTest
{
    [Fact]
    public void Open_AppliesTheConfiguration_SeenInProc()
    {
        NfQueueSocket queue = Open(new NfQueueOptions { QueueNumber = Queue, MaxLength = 77, CopyRange = 1500 });

        NfQueueKernelCounters? counters = NfQueueProcReader.Find(Queue);

        Assert.NotNull(counters);
        Assert.Equal(queue.Settings.PortId, counters.PortId);
        Assert.Equal(2u, counters.CopyMode);
        Assert.Equal(1500u, counters.CopyRange);
        Assert.Equal(0u, counters.Waiting);
        Assert.True(queue.Settings.NoEnobufs);
    }

    [Fact]
    public void Open_WithTheDefaultCopyRange_ReportsTheKernelsCap()
    {
        NfQueueSocket queue = Open();

        Assert.Equal(65531u, queue.Settings.CopyRange);
        Assert.Equal(65531u, NfQueueProcReader.Find(Queue)?.CopyRange);
    }

    [Fact]
    public void Open_AsRoot_ForcesTheReceiveBufferSizedFromMaxLength()
    {
        NfQueueSocket queue = Open(new NfQueueOptions { QueueNumber = Queue, MaxLength = 4096 });

        Assert.True(queue.Settings.ReceiveBufferForced);
        Assert.True(queue.Settings.ReceiveBufferSize >= 4096 * 2304, $"receive buffer {queue.Settings.ReceiveBufferSize}");
    }

    [Fact]
    public void Open_QueueHeldByAnotherSocket_FailsWithAClearEperm()
    {
        NfQueueSocket holder = Open();

        NfQueueException error = Assert.Throws<NfQueueException>(() => Open());

        Assert.Equal(1, error.Errno);
        Assert.Contains($"queue {Queue} is held by another process (EPERM; netlink portid {holder.Settings.PortId})", error.Message, StringComparison.Ordinal);
        Assert.Contains("choose another --queue", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WithConntrack_BindsEvenWhenTheKernelLacksIt_AndPacketsFlow()
    {
        QueueUdpTo(Queue);
        NfQueueSocket queue = Open(new NfQueueOptions { QueueNumber = Queue, Conntrack = true });

        Udp.Send("ct");
        queue.SetVerdict(ReceivePacket(queue).Id, NfVerdict.Accept);
        Assert.True(queue.FlushVerdicts());

        Assert.Contains(queue.Settings.Conntrack, new[] { NfConntrackSupport.Enabled, NfConntrackSupport.NotSupported });
        Assert.Equal("ct", Udp.TryReceiveText(Timeout));
    }

    [Fact]
    public void UidGid_OfALocalSender_IsReported()
    {
        QueueUdpTo(Queue);
        NfQueueSocket queue = Open(new NfQueueOptions { QueueNumber = Queue, UidGid = true });

        Udp.Send("who");
        QueuedPacket packet = ReceivePacket(queue);
        queue.SetVerdict(packet.Id, NfVerdict.Accept);
        Assert.True(queue.FlushVerdicts());

        Assert.Equal(0u, packet.Uid);
        Assert.Equal(0u, packet.Gid);
    }

    [Fact]
    public void WithoutUidGid_NoUidIsReported()
    {
        QueueUdpTo(Queue);
        NfQueueSocket queue = Open();

        Udp.Send("anonymous");
        QueuedPacket packet = ReceivePacket(queue);
        queue.SetVerdict(packet.Id, NfVerdict.Accept);
        Assert.True(queue.FlushVerdicts());

        Assert.Null(packet.Uid);
    }

    [Fact]
    public void Close_WithPacketsPending_LeavesNothingQueued()
    {
        QueueUdpTo(Queue);
        NfQueueSocket queue = NfQueueSocket.Open(new NfQueueOptions { QueueNumber = Queue });
        for (int i = 0; i < 5; i++)
        {
            Udp.Send($"pending {i}");
        }

        ReceivePackets(queue, 5);
        Assert.Equal(5u, NfQueueProcReader.Find(Queue)?.Waiting);

        queue.Dispose();

        Assert.Null(NfQueueProcReader.Find(Queue));
        Assert.Null(Udp.TryReceive(Silence));
    }

    [Fact]
    public void VerdictForAnUnknownId_IsCountedAsAnError_NotThrown()
    {
        NfQueueSocket queue = Open();

        queue.SetVerdict(999_999, NfVerdict.Accept);
        Assert.True(queue.FlushVerdicts());
        PumpUntil(queue, () => queue.Statistics.VerdictErrors == 1, "one verdict error");

        Assert.Equal(2, queue.Statistics.LastErrno); // ENOENT
    }
}
