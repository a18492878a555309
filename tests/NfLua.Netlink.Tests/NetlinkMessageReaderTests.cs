using NfLua.Netlink.Interop;
using NfLua.Netlink.Wire;

namespace NfLua.Netlink.Tests;

public sealed class NetlinkMessageReaderTests
{
    // An NLMSG_ERROR ack (36 bytes) followed by an NLMSG_DONE whose length (17) is not a multiple of 4.
    private static readonly byte[] s_twoMessages = Bytes.Hex("""
        24 00 00 00 | 02 00 | 00 01 | 07 00 00 00 | 00 00 00 00 | 00 00 00 00 | 1c 00 00 00 02 03 05 00 07 00 00 00 00 00 00 00
        11 00 00 00 | 03 00 | 00 00 | 08 00 00 00 | 00 00 00 00 | ee
        """);

    [Fact]
    public void Datagram_YieldsEachMessage_WithItsOffset_AndTheLastMayBeUnpadded()
    {
        var reader = new NetlinkMessageReader(s_twoMessages);

        Assert.Equal(NetlinkReadStatus.Item, reader.Read(out NetlinkMessage first, out int firstOffset));
        Assert.Equal(NetlinkMessageType.Error, first.Type);
        Assert.Equal(7u, first.Sequence);
        Assert.Equal(0, firstOffset);
        Assert.Equal(36, first.Bytes.Length);
        Assert.Equal(NetlinkReadStatus.Item, reader.Read(out NetlinkMessage second, out int secondOffset));
        Assert.Equal(NetlinkMessageType.Done, second.Type);
        Assert.Equal(36, secondOffset);
        Assert.Equal(17, second.Bytes.Length);
        Assert.Equal(NetlinkReadStatus.End, reader.Read(out _, out _));
    }

    [Fact]
    public void EmptyDatagram_IsTheEnd()
    {
        var reader = new NetlinkMessageReader(default);

        Assert.Equal(NetlinkReadStatus.End, reader.Read(out _, out _));
    }

    [Theory]
    [InlineData("fewer bytes than a header", "10 00 00 00 | 03 00 00 00")]
    [InlineData("nlmsg_len below the header size", "0f 00 00 00 | 03 00 | 00 00 | 00 00 00 00 | 00 00 00 00")]
    [InlineData("nlmsg_len past the end", "20 00 00 00 | 03 00 | 00 00 | 00 00 00 00 | 00 00 00 00")]
    [InlineData("nlmsg_len zero (would loop forever)", "00 00 00 00 | 03 00 | 00 00 | 00 00 00 00 | 00 00 00 00")]
    public void LyingLengths_AreMalformed_AndStopTheReader(string why, string hex)
    {
        var reader = new NetlinkMessageReader(Bytes.Hex(hex));

        Assert.True(reader.Read(out _, out _) == NetlinkReadStatus.Malformed, why);
        Assert.Equal(NetlinkReadStatus.End, reader.Read(out _, out _));
    }

    [Fact]
    public void TrailingGarbage_AfterAGoodMessage_IsMalformed()
    {
        byte[] datagram = [.. s_twoMessages[..36], 0x01, 0x02, 0x03, 0x04];
        var reader = new NetlinkMessageReader(datagram);

        Assert.Equal(NetlinkReadStatus.Item, reader.Read(out _, out _));
        Assert.Equal(NetlinkReadStatus.Malformed, reader.Read(out _, out _));
    }

    [Fact]
    public void ErrorMessage_GivesErrnoAndTheEchoedSequence()
    {
        byte[] enoent = Bytes.Hex("24 00 00 00 | 02 00 | 00 00 | 2a 00 00 00 | 00 00 00 00 | fe ff ff ff | 20 00 00 00 01 03 01 00 2a 00 00 00 00 00 00 00");
        var reader = new NetlinkMessageReader(enoent);
        reader.Read(out NetlinkMessage message, out _);

        Assert.True(NetlinkErrorMessage.TryParse(message, out int errno, out uint sequence));
        Assert.Equal(2, errno);
        Assert.Equal(42u, sequence);
    }

    [Fact]
    public void Acknowledgement_IsErrnoZero()
    {
        var reader = new NetlinkMessageReader(s_twoMessages);
        reader.Read(out NetlinkMessage message, out _);

        Assert.True(NetlinkErrorMessage.TryParse(message, out int errno, out uint sequence));
        Assert.Equal(0, errno);
        Assert.Equal(7u, sequence);
    }

    [Theory]
    [InlineData("shorter than nlmsgerr", "18 00 00 00 | 02 00 | 00 00 | 01 00 00 00 | 00 00 00 00 | fe ff ff ff | 00 00 00 00")]
    [InlineData("positive error", "24 00 00 00 | 02 00 | 00 00 | 01 00 00 00 | 00 00 00 00 | 02 00 00 00 | 20 00 00 00 01 03 01 00 2a 00 00 00 00 00 00 00")]
    [InlineData("not an error message", "24 00 00 00 | 03 00 | 00 00 | 01 00 00 00 | 00 00 00 00 | fe ff ff ff | 20 00 00 00 01 03 01 00 2a 00 00 00 00 00 00 00")]
    public void BadErrorMessages_AreRejected(string why, string hex)
    {
        var reader = new NetlinkMessageReader(Bytes.Hex(hex));
        Assert.Equal(NetlinkReadStatus.Item, reader.Read(out NetlinkMessage message, out _));

        Assert.False(NetlinkErrorMessage.TryParse(message, out _, out _), why);
    }
}
