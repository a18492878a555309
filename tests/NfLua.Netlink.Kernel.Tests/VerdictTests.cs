using System.Buffers.Binary;

namespace NfLua.Netlink.Kernel.Tests;

public sealed class VerdictTests : KernelTest
{
    [Fact]
    public void Accept_DeliversTheDatagram_AndTheViewDescribesIt()
    {
        QueueUdpTo(Queue);
        NfQueueSocket queue = Open();

        Udp.Send("hello");
        QueuedPacket packet = ReceivePacket(queue);
        queue.SetVerdict(packet.Id, NfVerdict.Accept);
        Assert.True(queue.FlushVerdicts());

        Assert.Equal("hello", Udp.TryReceiveText(Timeout));
        Assert.Equal(Queue, packet.QueueNumber);
        Assert.Equal(0x0800, packet.HardwareProtocol);
        Assert.Equal(NetfilterHook.LocalOut, packet.Hook);
        Assert.Equal(1u, packet.OutputInterface);
        Assert.Null(packet.Mark);
        Assert.Equal(Port, packet.UdpDestinationPort);
        Assert.Equal("hello"u8.ToArray(), packet.UdpData);
    }

    [Fact]
    public void Drop_DatagramNeverArrives_WhileTheNextAcceptedOneDoes()
    {
        QueueUdpTo(Queue);
        NfQueueSocket queue = Open();

        Udp.Send("dropped");
        queue.SetVerdict(ReceivePacket(queue).Id, NfVerdict.Drop);
        Assert.True(queue.FlushVerdicts());
        Udp.Send("accepted");
        queue.SetVerdict(ReceivePacket(queue).Id, NfVerdict.Accept);
        Assert.True(queue.FlushVerdicts());

        Assert.Equal("accepted", Udp.TryReceiveText(Timeout));
        Assert.Null(Udp.TryReceive(Silence));
    }

    [Fact]
    public void Stop_DeliversTheDatagram()
    {
        QueueUdpTo(Queue);
        NfQueueSocket queue = Open();

        Udp.Send("stop");
        queue.SetVerdict(ReceivePacket(queue).Id, NfVerdict.Stop);
        Assert.True(queue.FlushVerdicts());

        Assert.Equal("stop", Udp.TryReceiveText(Timeout));
    }

    [Fact]
    public void AcceptWithMark_IsSeenByARuleInALaterHook()
    {
        QueueUdpTo(Queue);
        Rules.Append("mangle", "POSTROUTING", "-o", "lo", "-p", "udp", "--dport", PortText, "-m", "mark", "--mark", "0x1234", "-m", "comment", "--comment", Comment);
        NfQueueSocket queue = Open();

        Udp.Send("marked");
        queue.SetVerdict(ReceivePacket(queue).Id, NfVerdict.Accept, mark: 0x1234);
        Assert.True(queue.FlushVerdicts());

        Assert.Equal("marked", Udp.TryReceiveText(Timeout));
        Assert.Equal(1, Iptables.PacketCount("mangle", "POSTROUTING", Comment));
    }

    [Fact]
    public void RepeatWithMark_ReentersTheHookOnce_AndTheSkipRuleAcceptsIt()
    {
        Rules.Append("filter", "OUTPUT", "-o", "lo", "-p", "udp", "--dport", PortText, "-m", "mark", "--mark", "0x77", "-m", "comment", "--comment", Comment, "-j", "ACCEPT");
        QueueUdpTo(Queue);
        NfQueueSocket queue = Open();

        Udp.Send("repeat");
        queue.SetVerdict(ReceivePacket(queue).Id, NfVerdict.Repeat, mark: 0x77);
        Assert.True(queue.FlushVerdicts());

        Assert.Equal("repeat", Udp.TryReceiveText(Timeout));
        AssertNoPacket(queue);
        Assert.Equal(1, Iptables.PacketCount("filter", "OUTPUT", Comment));
    }

    [Fact]
    public void QueueToAnotherNumber_ReachesTheSecondBoundQueue()
    {
        QueueUdpTo(Queue);
        NfQueueSocket first = Open();
        NfQueueSocket second = Open(SecondQueue);

        Udp.Send("forwarded");
        queueTo(first, ReceivePacket(first).Id);
        QueuedPacket again = ReceivePacket(second);
        second.SetVerdict(again.Id, NfVerdict.Accept);
        Assert.True(second.FlushVerdicts());

        Assert.Equal(SecondQueue, again.QueueNumber);
        Assert.Equal("forwarded"u8.ToArray(), again.UdpData);
        Assert.Equal("forwarded", Udp.TryReceiveText(Timeout));

        void queueTo(NfQueueSocket queue, uint id)
        {
            queue.SetVerdict(id, NfVerdict.Queue(SecondQueue));
            Assert.True(queue.FlushVerdicts());
        }
    }

    [Fact]
    public void AcceptWithModifiedPayload_DeliversTheNewBytes()
    {
        QueueUdpTo(Queue);
        NfQueueSocket queue = Open();

        Udp.Send("abcdef");
        QueuedPacket packet = ReceivePacket(queue);
        byte[] modified = packet.Payload.ToArray();
        int udp = (modified[0] & 0xF) * 4;
        modified[udp + 8] = (byte)'X';
        BinaryPrimitives.WriteUInt16BigEndian(modified.AsSpan(udp + 6), 0); // IPv4 UDP: checksum 0 means none
        queue.SetVerdictWithPayload(packet.Id, NfVerdict.Accept, modified);
        Assert.True(queue.FlushVerdicts());

        Assert.Equal("Xbcdef", Udp.TryReceiveText(Timeout));
    }

    [Fact]
    public void AcceptWithALongerPayloadAndFixedChecksums_DeliversTheNewDatagram()
    {
        QueueUdpTo(Queue);
        NfQueueSocket queue = Open();

        Udp.Send("short");
        QueuedPacket packet = ReceivePacket(queue);
        queue.SetVerdictWithPayload(packet.Id, NfVerdict.Accept, Ipv4Udp.WithData(packet.Payload, "a longer, rewritten datagram"u8));
        Assert.True(queue.FlushVerdicts());

        Assert.Equal("a longer, rewritten datagram", Udp.TryReceiveText(Timeout));
    }

    [Fact]
    public void AcceptWithABadUdpChecksum_IsDroppedByTheReceiver_SoChecksumsAreReallyVerified()
    {
        QueueUdpTo(Queue);
        NfQueueSocket queue = Open();

        Udp.Send("short");
        QueuedPacket packet = ReceivePacket(queue);
        queue.SetVerdictWithPayload(packet.Id, NfVerdict.Accept, Ipv4Udp.WithData(packet.Payload, "corrupt"u8, breakUdpChecksum: true));
        Assert.True(queue.FlushVerdicts());

        Assert.Null(Udp.TryReceive(Silence));
    }

    [Fact]
    public void Burst_IsAnsweredWithOneVerdictBatch_AndEveryDatagramArrives()
    {
        const int count = 50;
        QueueUdpTo(Queue);
        NfQueueSocket queue = Open();

        for (int i = 0; i < count; i++)
        {
            Udp.Send($"burst {i}");
        }

        List<QueuedPacket> packets = ReceivePackets(queue, count);
        foreach (QueuedPacket packet in packets)
        {
            queue.SetVerdict(packet.Id, NfVerdict.Accept);
        }

        Assert.True(queue.FlushVerdicts());

        Assert.Equal(Enumerable.Range((int)packets[0].Id, count).Select(i => (uint)i), packets.Select(p => p.Id));
        Assert.Equal(1, queue.Statistics.VerdictMessages);
        Assert.Equal(count, queue.Statistics.VerdictsSent);
        for (int i = 0; i < count; i++)
        {
            Assert.Equal($"burst {i}", Udp.TryReceiveText(Timeout));
        }

        Assert.Equal(0u, NfQueueProcReader.Find(Queue)?.Waiting);
    }

    [Fact]
    public void IncomingPacket_ReportsInputInterfaceAndHardwareAddress()
    {
        Rules.Append("filter", "INPUT", "-i", "lo", "-p", "udp", "--dport", PortText, "-j", "NFQUEUE", "--queue-num", Queue.ToString(System.Globalization.CultureInfo.InvariantCulture));
        NfQueueSocket queue = Open();

        Udp.Send("inbound");
        int received = 0;
        NetfilterHook hook = default;
        uint? input = null;
        byte[] hardwareAddress = [];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (received == 0 && clock.Elapsed < Timeout)
        {
            received = queue.Receive(50);
            if (received > 0)
            {
                NfQueuePacket packet = queue.GetPacket(0);
                (hook, input, hardwareAddress) = (packet.Hook, packet.InputInterface, packet.HardwareAddress.ToArray());
                queue.SetVerdict(packet.Id, NfVerdict.Accept);
            }
        }

        Assert.True(queue.FlushVerdicts());
        Assert.Equal(1, received);
        Assert.Equal(NetfilterHook.LocalIn, hook);
        Assert.Equal(1u, input);
        Assert.Equal(new byte[6], hardwareAddress);
        Assert.Equal("inbound", Udp.TryReceiveText(Timeout));
    }
}
