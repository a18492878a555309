using NfLua.Netlink.Interop;
using NfLua.Netlink.Wire;

namespace NfLua.Netlink.Tests;

public sealed class VerdictWriterTests
{
    private const string Header = "00 00 00 00 | 00 00 00 07";

    [Fact]
    public void ConsecutiveIdsSharingAVerdict_BecomeOneVerdictBatchForTheLastId()
    {
        var writer = new VerdictWriter(queue: 7, useBatch: true, capacity: 4);
        for (uint id = 10; id <= 13; id++)
        {
            writer.Add(id, NfVerdict.Accept, mark: null);
        }

        uint sequence = 100;
        byte[] datagram = writer.Encode(ref sequence, out int messages).ToArray();

        Assert.Equal(Bytes.Hex($"20 00 00 00 | 03 03 | 01 00 | 64 00 00 00 | {Header} | 0c 00 02 00 | 00 00 00 01 | 00 00 00 0d"), datagram);
        Assert.Equal(1, messages);
        Assert.Equal(101u, sequence);
        Assert.Equal(4, writer.Count); // pending until the send that carries them succeeded
        Assert.Equal(4, writer.Sent(messages));
        Assert.Equal(0, writer.Count);
    }

    [Fact]
    public void Sent_PartWayThroughAnEncoding_KeepsTheRestFirstInLine_AndTheirPayloads()
    {
        var writer = new VerdictWriter(queue: 7, useBatch: true, capacity: 2);
        writer.Add(1, NfVerdict.Accept, null);
        writer.Add(2, NfVerdict.Accept, null);
        writer.AddWithPayload(3, NfVerdict.Drop, null, [0x45, 0x01]);
        writer.Add(4, NfVerdict.Accept, null);
        uint sequence = 1;
        _ = writer.Encode(ref sequence, out int messages);
        Assert.Equal(3, messages); // batch 1-2, 3 with its payload, 4

        Assert.Equal(2, writer.Sent(1)); // only the first datagram (the batch) reached the kernel
        writer.Add(5, NfVerdict.Accept, null);
        byte[] next = writer.Encode(ref sequence, out messages).ToArray();

        // 3 keeps its own verdict and payload, and the batch for 5 comes after it: it cannot answer 3 with ACCEPT.
        Assert.Equal(2, messages);
        Assert.Equal(
            Bytes.Hex($"""
                28 00 00 00 | 01 03 | 01 00 | 04 00 00 00 | {Header} | 0c 00 02 00 | 00 00 00 00 | 00 00 00 03 | 06 00 0a 00 | 45 01 00 00
                20 00 00 00 | 03 03 | 01 00 | 05 00 00 00 | {Header} | 0c 00 02 00 | 00 00 00 01 | 00 00 00 05
                """),
            next);
        Assert.Equal(3, writer.Sent(messages));
        Assert.Equal(0, writer.Count);
    }

    [Fact]
    public void EncodeOldest_IsOneVerdictOfItsOwn_NeverABatch()
    {
        var writer = new VerdictWriter(queue: 7, useBatch: true, capacity: 2);
        writer.Add(8, NfVerdict.Drop, null);
        writer.Add(9, NfVerdict.Drop, null);
        uint sequence = 1;

        byte[] oldest = writer.EncodeOldest(ref sequence).ToArray();

        Assert.Equal(Bytes.Hex($"20 00 00 00 | 01 03 | 01 00 | 01 00 00 00 | {Header} | 0c 00 02 00 | 00 00 00 00 | 00 00 00 08"), oldest);
        Assert.Equal(1, writer.Sent(1));
        Assert.Equal(1, writer.Count);
    }

    [Fact]
    public void MixedVerdicts_SplitIntoRuns_InArrivalOrder()
    {
        var writer = new VerdictWriter(queue: 7, useBatch: true, capacity: 4);
        writer.Add(1, NfVerdict.Accept, null);
        writer.Add(2, NfVerdict.Accept, null);
        writer.Add(3, NfVerdict.Drop, null);
        writer.Add(4, NfVerdict.Accept, 0x99);
        writer.Add(5, NfVerdict.Accept, 0x99);

        uint sequence = 1;
        byte[] datagram = writer.Encode(ref sequence, out int messages).ToArray();

        Assert.Equal(
            Bytes.Hex($"""
                20 00 00 00 | 03 03 | 01 00 | 01 00 00 00 | {Header} | 0c 00 02 00 | 00 00 00 01 | 00 00 00 02
                20 00 00 00 | 01 03 | 01 00 | 02 00 00 00 | {Header} | 0c 00 02 00 | 00 00 00 00 | 00 00 00 03
                28 00 00 00 | 03 03 | 01 00 | 03 00 00 00 | {Header} | 0c 00 02 00 | 00 00 00 01 | 00 00 00 05 | 08 00 03 00 | 00 00 00 99
                """),
            datagram);
        Assert.Equal(3, messages);
        Assert.Equal(4u, sequence);
    }

    [Fact]
    public void AGapInIds_OrADifferentMark_BreaksTheRun()
    {
        var writer = new VerdictWriter(queue: 7, useBatch: true, capacity: 4);
        writer.Add(1, NfVerdict.Accept, null);
        writer.Add(3, NfVerdict.Accept, null);
        writer.Add(4, NfVerdict.Accept, 1);
        writer.Add(5, NfVerdict.Accept, 2);

        uint sequence = 1;
        ReadOnlySpan<byte> datagram = writer.Encode(ref sequence, out int messages);

        Assert.Equal(4, messages);
        Assert.Equal(NetlinkMessageType.QueueVerdict, FirstType(datagram));
    }

    [Fact]
    public void WithoutBatching_EveryPacketGetsItsOwnVerdict()
    {
        var writer = new VerdictWriter(queue: 7, useBatch: false, capacity: 2);
        writer.Add(1, NfVerdict.Accept, null);
        writer.Add(2, NfVerdict.Accept, null);
        writer.Add(3, NfVerdict.Accept, null);

        uint sequence = 1;
        ReadOnlySpan<byte> datagram = writer.Encode(ref sequence, out int messages);

        Assert.Equal(3, messages);
        Assert.Equal(3 * 32, datagram.Length);
    }

    [Fact]
    public void APayloadVerdict_IsNeverBatched_AndCarriesACopyOfTheBytes()
    {
        var writer = new VerdictWriter(queue: 7, useBatch: true, capacity: 2);
        byte[] payload = [0x45, 0x00, 0x00];
        writer.Add(1, NfVerdict.Accept, null);
        writer.AddWithPayload(2, NfVerdict.Accept, null, payload);
        writer.Add(3, NfVerdict.Accept, null);
        payload[0] = 0xFF;

        uint sequence = 1;
        byte[] datagram = writer.Encode(ref sequence, out int messages).ToArray();

        Assert.Equal(3, messages);
        Assert.Equal(
            Bytes.Hex($"28 00 00 00 | 01 03 | 01 00 | 02 00 00 00 | {Header} | 0c 00 02 00 | 00 00 00 01 | 00 00 00 02 | 07 00 0a 00 | 45 00 00 00"),
            datagram[32..72]);
    }

    [Fact]
    public void Buffers_GrowPastTheirCapacity()
    {
        var writer = new VerdictWriter(queue: 7, useBatch: false, capacity: 1);
        for (uint id = 1; id <= 100; id++)
        {
            writer.AddWithPayload(id, NfVerdict.Drop, id, new byte[1000]);
        }

        uint sequence = 1;
        ReadOnlySpan<byte> datagram = writer.Encode(ref sequence, out int messages);

        Assert.Equal(100, messages);
        Assert.Equal(100 * NfQueueMessages.VerdictSize(hasMark: true, payloadLength: 1000), datagram.Length);
    }

    [Fact]
    public void Clear_ForgetsPendingVerdicts()
    {
        var writer = new VerdictWriter(queue: 7, useBatch: true, capacity: 2);
        writer.Add(1, NfVerdict.Accept, null);

        writer.Clear();
        uint sequence = 1;

        Assert.Equal(0, writer.Encode(ref sequence, out int messages).Length);
        Assert.Equal(0, messages);
    }

    private static NetlinkMessageType FirstType(ReadOnlySpan<byte> datagram)
    {
        var reader = new NetlinkMessageReader(datagram);
        reader.Read(out NetlinkMessage message, out _);
        return message.Type;
    }
}
