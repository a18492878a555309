using NfLua.Netlink.Interop;
using NfLua.Netlink.Wire;

namespace NfLua.Netlink.Tests;

/// <summary>Golden bytes of every message we send, written from the header definitions (x86-64: host order is little-endian).</summary>
public sealed class NfQueueMessagesTests
{
    public NfQueueMessagesTests() => Assert.True(BitConverter.IsLittleEndian, "the golden bytes assume a little-endian host");

    [Fact]
    public void Bind_IsAConfigCommandWithAck()
    {
        byte[] buffer = new byte[NfQueueMessages.CommandSize];

        int length = NfQueueMessages.WriteCommand(buffer, queue: 7, sequence: 0x11223344, NfQueueConfigCommand.Bind);

        Assert.Equal(
            Bytes.Hex("1c 00 00 00 | 02 03 | 05 00 | 44 33 22 11 | 00 00 00 00 | 00 00 00 07 | 08 00 01 00 | 01 00 00 00"),
            buffer[..length]);
        Assert.Equal(buffer.Length, length);
    }

    [Fact]
    public void Unbind_IsAConfigCommandWithAck()
    {
        byte[] buffer = new byte[NfQueueMessages.CommandSize];

        int length = NfQueueMessages.WriteCommand(buffer, queue: 0x0102, sequence: 3, NfQueueConfigCommand.Unbind);

        Assert.Equal(
            Bytes.Hex("1c 00 00 00 | 02 03 | 05 00 | 03 00 00 00 | 00 00 00 00 | 00 00 01 02 | 08 00 01 00 | 02 00 00 00"),
            buffer[..length]);
    }

    [Fact]
    public void Bind_CarriesTheCommandPackedParamsMaxLengthFlagsAndMask_InOneMessage()
    {
        byte[] buffer = new byte[NfQueueMessages.BindSize];

        int length = NfQueueMessages.WriteBind(
            buffer, queue: 0x0102, sequence: 1, NfQueueCopyMode.Packet, copyRange: 0xFFFF, maxLength: 1024,
            NfQueueConfigFlags.FailOpen | NfQueueConfigFlags.UidGid,
            NfQueueConfigFlags.FailOpen | NfQueueConfigFlags.Gso | NfQueueConfigFlags.UidGid);

        Assert.Equal(
            Bytes.Hex("""
                40 00 00 00 | 02 03 | 05 00 | 01 00 00 00 | 00 00 00 00 | 00 00 01 02
                08 00 01 00 | 01 00 00 00
                09 00 02 00 | 00 00 ff ff 02 | 00 00 00
                08 00 03 00 | 00 00 04 00
                08 00 05 00 | 00 00 00 09
                08 00 04 00 | 00 00 00 0d
                """),
            buffer[..length]);
        Assert.Equal(buffer.Length, length);
    }

    [Fact]
    public void Flags_AreAlwaysSentWithTheirMask()
    {
        byte[] buffer = new byte[NfQueueMessages.FlagsSize];

        int length = NfQueueMessages.WriteFlags(buffer, queue: 7, sequence: 2, NfQueueConfigFlags.Conntrack, NfQueueConfigFlags.Conntrack);

        Assert.Equal(
            Bytes.Hex("24 00 00 00 | 02 03 | 05 00 | 02 00 00 00 | 00 00 00 00 | 00 00 00 07 | 08 00 05 00 | 00 00 00 02 | 08 00 04 00 | 00 00 00 02"),
            buffer[..length]);
    }

    [Fact]
    public void Verdict_HasABigEndianHeader_AndNoAck()
    {
        byte[] buffer = new byte[NfQueueMessages.VerdictSize(hasMark: false, payloadLength: -1)];

        int length = NfQueueMessages.WriteVerdict(buffer, 7, 9, batch: false, NfVerdict.Accept.Value, 0x0A0B0C0D, false, 0, default, false);

        Assert.Equal(
            Bytes.Hex("20 00 00 00 | 01 03 | 01 00 | 09 00 00 00 | 00 00 00 00 | 00 00 00 07 | 0c 00 02 00 | 00 00 00 01 | 0a 0b 0c 0d"),
            buffer[..length]);
        Assert.Equal(buffer.Length, length);
    }

    [Fact]
    public void Verdict_WithMark_AddsABigEndianMark()
    {
        byte[] buffer = new byte[NfQueueMessages.VerdictSize(hasMark: true, payloadLength: -1)];

        int length = NfQueueMessages.WriteVerdict(buffer, 7, 9, batch: false, NfVerdict.Repeat.Value, 1, true, 0xDEADBEEF, default, false);

        Assert.Equal(
            Bytes.Hex("28 00 00 00 | 01 03 | 01 00 | 09 00 00 00 | 00 00 00 00 | 00 00 00 07 | 0c 00 02 00 | 00 00 00 04 | 00 00 00 01 | 08 00 03 00 | de ad be ef"),
            buffer[..length]);
        Assert.Equal(buffer.Length, length);
    }

    [Fact]
    public void Verdict_WithOddPayload_PadsTheAttribute_AndCountsThePaddingInTheMessage()
    {
        byte[] buffer = new byte[NfQueueMessages.VerdictSize(hasMark: false, payloadLength: 3)];

        int length = NfQueueMessages.WriteVerdict(buffer, 7, 9, batch: false, NfVerdict.Accept.Value, 2, false, 0, [0xAA, 0xBB, 0xCC], true);

        Assert.Equal(
            Bytes.Hex("28 00 00 00 | 01 03 | 01 00 | 09 00 00 00 | 00 00 00 00 | 00 00 00 07 | 0c 00 02 00 | 00 00 00 01 | 00 00 00 02 | 07 00 0a 00 | aa bb cc 00"),
            buffer[..length]);
        Assert.Equal(buffer.Length, length);
    }

    [Fact]
    public void Verdict_WithEmptyPayload_StillCarriesThePayloadAttribute()
    {
        byte[] buffer = new byte[NfQueueMessages.VerdictSize(hasMark: false, payloadLength: 0)];

        int length = NfQueueMessages.WriteVerdict(buffer, 7, 9, batch: false, NfVerdict.Accept.Value, 2, false, 0, default, true);

        Assert.Equal(Bytes.Hex("04 00 0a 00"), buffer[(length - 4)..length]);
        Assert.Equal(36, length);
    }

    [Fact]
    public void VerdictBatch_UsesTheBatchType_AndQueueVerdictCarriesTargetAndBypass()
    {
        byte[] buffer = new byte[NfQueueMessages.VerdictSize(hasMark: false, payloadLength: -1)];

        int length = NfQueueMessages.WriteVerdict(buffer, 7, 9, batch: true, NfVerdict.Queue(5, bypass: true).Value, 0x10, false, 0, default, false);

        Assert.Equal(
            Bytes.Hex("20 00 00 00 | 03 03 | 01 00 | 09 00 00 00 | 00 00 00 00 | 00 00 00 07 | 0c 00 02 00 | 00 05 80 03 | 00 00 00 10"),
            buffer[..length]);
    }
}
