using NfLua.Netlink.Interop;
using NfLua.Netlink.Wire;

namespace NfLua.Netlink.Tests;

/// <summary>Binding, receiving and answering against a fake kernel (see <see cref="FakeKernel"/>).</summary>
public sealed class NfQueueSocketTests : IDisposable
{
    // A queue number nothing on this machine binds, so an EPERM finds no holder in /proc.
    private const ushort QueueNumber = 65000;
    private readonly FakeKernel _kernel = new();

    [Fact]
    public void Open_SendsBindAndParametersInOneMessage_AndWaitsForItsAck()
    {
        _kernel.Ack(1);

        using NfQueueSocket queue = Open(new NfQueueOptions { QueueNumber = QueueNumber, MaxLength = 10, CopyRange = 100, FailOpen = true });

        byte[] bind = new byte[NfQueueMessages.BindSize];
        NfQueueMessages.WriteBind(bind, QueueNumber, 1, NfQueueCopyMode.Packet, 100, 10, NfQueueConfigFlags.FailOpen, NfQueueConfigFlags.FailOpen | NfQueueConfigFlags.Gso | NfQueueConfigFlags.UidGid);
        Assert.Equal(bind, _kernel.Sent()!);
        Assert.Null(_kernel.Sent());
        Assert.Equal(NfConntrackSupport.NotRequested, queue.Settings.Conntrack);
        Assert.True(queue.Settings.FailOpen);
    }

    [Fact]
    public async Task Open_WithConntrackRefused_BindsAgainWithoutIt_AndRecordsNotSupported()
    {
        var sent = new List<byte[]>();
        Task kernel = AnswerEach(sent, 95, 0);

        using NfQueueSocket queue = Open(new NfQueueOptions { QueueNumber = QueueNumber, Conntrack = true });
        await kernel;

        const NfQueueConfigFlags flags = 0;
        const NfQueueConfigFlags mask = NfQueueConfigFlags.FailOpen | NfQueueConfigFlags.Gso | NfQueueConfigFlags.UidGid;
        byte[] withConntrack = new byte[NfQueueMessages.BindSize];
        NfQueueMessages.WriteBind(withConntrack, QueueNumber, 1, NfQueueCopyMode.Packet, 0xFFFF, 1024, flags | NfQueueConfigFlags.Conntrack, mask | NfQueueConfigFlags.Conntrack);
        byte[] without = new byte[NfQueueMessages.BindSize];
        NfQueueMessages.WriteBind(without, QueueNumber, 2, NfQueueCopyMode.Packet, 0xFFFF, 1024, flags, mask);
        Assert.Equal([withConntrack, without], sent);
        Assert.Equal(NfConntrackSupport.NotSupported, queue.Settings.Conntrack);
    }

    [Fact]
    public void Open_WithConntrackAccepted_ReportsItEnabled_InOneMessage()
    {
        _kernel.Ack(1);

        using NfQueueSocket queue = Open(new NfQueueOptions { QueueNumber = QueueNumber, Conntrack = true });

        Assert.Equal(NfConntrackSupport.Enabled, queue.Settings.Conntrack);
        Assert.NotNull(_kernel.Sent());
        Assert.Null(_kernel.Sent());
    }

    [Fact]
    public void Open_WithConntrack_OtherRefusalsAreNotRetried()
    {
        _kernel.Ack(1, errno: 1);

        Assert.Equal(1, Assert.Throws<NfQueueException>(() => Open(new NfQueueOptions { QueueNumber = QueueNumber, Conntrack = true })).Errno);
        Assert.NotNull(_kernel.Sent());
        Assert.Null(_kernel.Sent());
    }

    [Theory]
    [InlineData(1, "binding queue 65000 was refused (EPERM): it needs CAP_NET_ADMIN")]
    [InlineData(16, "queue 65000 is already bound by this socket (EBUSY)")]
    [InlineData(19, "load the nfnetlink_queue module")]
    [InlineData(95, "queue 65000: the kernel does not support a requested option (EOPNOTSUPP)")]
    public void Open_RefusedBind_ThrowsAnErrorThatSaysWhatToDo(int errno, string expected)
    {
        _kernel.Ack(1, errno);

        NfQueueException error = Assert.Throws<NfQueueException>(() => Open(new NfQueueOptions { QueueNumber = QueueNumber }));

        Assert.Equal(errno, error.Errno);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_WithConntrack_RefusedTwice_Throws()
    {
        var sent = new List<byte[]>();
        Task kernel = AnswerEach(sent, 95, 95);

        Assert.Equal(95, Assert.Throws<NfQueueException>(() => Open(new NfQueueOptions { QueueNumber = QueueNumber, Conntrack = true })).Errno);
        await kernel;
        Assert.Equal(2, sent.Count);
    }

    [Fact]
    public void Open_WithoutAnAnswer_TimesOut()
    {
        NfQueueException error = Assert.Throws<NfQueueException>(
            () => Open(new NfQueueOptions { QueueNumber = QueueNumber, ConfigureTimeout = TimeSpan.FromMilliseconds(50) }));

        Assert.Contains("did not acknowledge", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PacketsBeforeTheBindAck_ProveSuccess_AndAreTheFirstBatch()
    {
        _kernel.Reply(Bytes.PacketMessage(Bytes.PacketHeader(1)));

        using NfQueueSocket queue = Open(new NfQueueOptions { QueueNumber = QueueNumber });
        _kernel.Ack(1);

        Assert.Equal(1, queue.Receive(0));
        Assert.Equal(1u, queue.GetPacket(0).Id);
        Assert.Equal(0, queue.Receive(100));
        Assert.Equal(0, queue.Statistics.VerdictErrors);
    }

    [Fact]
    public void Receive_CountsMalformedTruncatedAndErrorReplies_AndKeepsTheGoodPackets()
    {
        using NfQueueSocket queue = OpenBound(new NfQueueOptions { QueueNumber = QueueNumber, CopyRange = 16 });
        _kernel.Reply(Bytes.Hex("ff 00 00 00 | 00 03 00 00 | 00 00 00 00 | 00 00 00 00"));
        _kernel.Reply(Bytes.PacketMessage(Bytes.PacketHeader(7), Bytes.Hex("05 00 0a 00 | 45")));
        _kernel.Reply(new byte[8192]);
        _kernel.Reply([.. FakeKernel.AckMessage(99, 2), .. Bytes.PacketMessage(Bytes.PacketHeader(8))]);
        _kernel.Reply(Bytes.PacketMessage(Bytes.Hex("08 00 03 00 | 00 00 00 01")));

        Assert.Equal(2, queue.Receive(1000));

        Assert.Equal(7u, queue.GetPacket(0).Id);
        Assert.Equal([0x45], queue.GetPacket(0).Payload.ToArray());
        Assert.Equal(8u, queue.GetPacket(1).Id);
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.GetPacket(2));
        Assert.Equal(new NfQueueStatistics(2, 2, 1, 0, 0, 0, 1, 0, 2), queue.Statistics);
    }

    [Fact]
    public void GetWritablePayload_IsThePacketsPayload_InPlace()
    {
        using NfQueueSocket queue = OpenBound(new NfQueueOptions { QueueNumber = QueueNumber });
        _kernel.Reply(Bytes.PacketMessage(Bytes.PacketHeader(7), Bytes.Hex("07 00 0a 00 | 45 01 02")));
        _kernel.Reply(Bytes.PacketMessage(Bytes.PacketHeader(8)));
        Assert.Equal(2, queue.Receive(1000));

        queue.GetWritablePayload(0)[2] = 0xEE;

        Assert.Equal([0x45, 0x01, 0xEE], queue.GetPacket(0).Payload.ToArray());
        Assert.Equal(0, queue.GetWritablePayload(1).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.GetWritablePayload(2));
    }

    [Fact]
    public void FlushVerdicts_SendsTheBatchInOneDatagram()
    {
        using NfQueueSocket queue = OpenBound(new NfQueueOptions { QueueNumber = QueueNumber });
        queue.SetVerdict(5, NfVerdict.Accept);
        queue.SetVerdict(6, NfVerdict.Accept);
        queue.SetVerdict(7, NfVerdict.Drop, mark: 3);

        Assert.True(queue.FlushVerdicts());

        byte[] expected = new byte[NfQueueMessages.VerdictSize(false, -1) + NfQueueMessages.VerdictSize(true, -1)];
        int length = NfQueueMessages.WriteVerdict(expected, QueueNumber, 2, true, 1, 6, false, 0, default, false);
        NfQueueMessages.WriteVerdict(expected.AsSpan(length), QueueNumber, 3, false, 0, 7, true, 3, default, false);
        Assert.Equal(expected, _kernel.Sent()!);
        Assert.Null(_kernel.Sent());
        Assert.Equal(3, queue.Statistics.VerdictsSent);
        Assert.Equal(2, queue.Statistics.VerdictMessages);
        Assert.True(queue.FlushVerdicts());
        Assert.Null(_kernel.Sent());
    }

    [Fact]
    public void FlushVerdicts_SplitsDatagramsTooBigForTheKernel_AtMessageBoundaries()
    {
        using NfQueueSocket queue = OpenBound(new NfQueueOptions { QueueNumber = QueueNumber });
        // 165 KB in all: more than one datagram may carry, less than the socketpair buffers without a reader.
        for (uint id = 1; id <= 3; id++)
        {
            queue.SetVerdictWithPayload(id, NfVerdict.Accept, new byte[55_000]);
        }

        Assert.True(queue.FlushVerdicts());

        var sizes = new List<int>();
        int messages = 0;
        while (_kernel.Sent() is { } datagram)
        {
            sizes.Add(datagram.Length);
            var reader = new NetlinkMessageReader(datagram);
            while (reader.Read(out _, out _) == NetlinkReadStatus.Item)
            {
                messages++;
            }
        }

        Assert.Equal(3, messages);
        Assert.True(sizes.Count > 1 && sizes.All(size => size <= 160 * 1024), string.Join(", ", sizes));
    }

    [Fact]
    public void SetVerdictWithPayload_LongerThanAnAttributeCanHold_IsRejected()
    {
        using NfQueueSocket queue = OpenBound(new NfQueueOptions { QueueNumber = QueueNumber });

        Assert.Throws<ArgumentOutOfRangeException>(() => queue.SetVerdictWithPayload(1, NfVerdict.Accept, new byte[65532]));
    }

    [Fact]
    public void Dispose_SendsUnbind_AndLaterCallsThrow()
    {
        NfQueueSocket queue = OpenBound(new NfQueueOptions { QueueNumber = QueueNumber });

        queue.Dispose();

        byte[] unbind = new byte[NfQueueMessages.CommandSize];
        NfQueueMessages.WriteCommand(unbind, QueueNumber, 2, NfQueueConfigCommand.Unbind);
        Assert.Equal(unbind, _kernel.Sent()!);
        Assert.Throws<ObjectDisposedException>(() => queue.Receive(0));
    }

    [Fact]
    public void SteadyState_ReceiveAndVerdicts_AllocateNothingPerPacket()
    {
        const int rounds = 1000;
        using NfQueueSocket queue = OpenBound(new NfQueueOptions { QueueNumber = QueueNumber, BatchSize = 8 });
        byte[][] packets = Enumerable.Range(1, 4).Select(id => Bytes.PacketMessage(
            Bytes.PacketHeader((uint)id), Bytes.Hex("08 00 03 00 | 00 00 00 01"), Bytes.Hex("09 00 0a 00 | 45 00 00 14 ff"))).ToArray();
        for (int round = 0; round < 20; round++)
        {
            RunBatch(queue, packets);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < rounds; round++)
        {
            RunBatch(queue, packets);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The runtime may allocate a few KB once (tiering, type loads); one 24-byte object per packet would be 96 KB.
        Assert.True(allocated < 24 * rounds, $"{allocated} bytes for {rounds * packets.Length} packets");
        Assert.Equal((rounds + 20) * packets.Length, queue.Statistics.Packets);
    }

    public void Dispose() => _kernel.Dispose();

    private void RunBatch(NfQueueSocket queue, byte[][] packets)
    {
        foreach (byte[] packet in packets)
        {
            _kernel.Reply(packet);
        }

        int n = queue.Receive(1000);
        for (int i = 0; i < n; i++)
        {
            NfQueuePacket packet = queue.GetPacket(i);
            uint mark = packet.Mark.GetValueOrDefault() + (uint)packet.Payload.Length;
            if (packet.Id % 2 == 0)
            {
                queue.SetVerdict(packet.Id, NfVerdict.Accept, mark);
            }
            else
            {
                queue.SetVerdictWithPayload(packet.Id, NfVerdict.Accept, packet.Payload);
            }
        }

        Assert.True(queue.FlushVerdicts());
        _kernel.Drain();
    }

    /// <summary>Answers the library's next requests one by one, each after it was sent (as the kernel does), with these errnos.</summary>
    private Task AnswerEach(List<byte[]> sent, params int[] errnos) => Task.Run(
        () =>
        {
            for (uint sequence = 1; sequence <= errnos.Length; sequence++)
            {
                byte[]? request;
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while ((request = _kernel.Sent()) is null)
                {
                    Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"request {sequence} was never sent");
                    Thread.Sleep(1);
                }

                sent.Add(request);
                _kernel.Ack(sequence, errnos[sequence - 1]);
            }
        },
        TestContext.Current.CancellationToken);

    private NfQueueSocket Open(NfQueueOptions options) => NfQueueSocket.Open(options, _kernel.TakeSocket());

    private NfQueueSocket OpenBound(NfQueueOptions options)
    {
        _kernel.Ack(1);
        NfQueueSocket queue = Open(options);
        Assert.NotNull(_kernel.Sent());
        return queue;
    }
}
