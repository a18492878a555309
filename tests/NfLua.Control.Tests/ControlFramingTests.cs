using System.Buffers.Binary;

namespace NfLua.Control.Tests;

public sealed class ControlFramingTests
{
    private static byte[] Header(uint length)
    {
        byte[] header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, length);
        return header;
    }

    [Fact]
    public async Task ReadFrameAsync_WrittenFrame_GivesBodyBack()
    {
        using var stream = new MemoryStream();
        await ControlFraming.WriteFrameAsync(stream, "{\"a\":1}"u8.ToArray(), TestContext.Current.CancellationToken);

        Assert.Equal([0, 0, 0, 7, .. "{\"a\":1}"u8], stream.ToArray());
        stream.Position = 0;
        Assert.Equal("{\"a\":1}"u8.ToArray(), await ControlFraming.ReadFrameAsync(stream, TestContext.Current.CancellationToken));
        Assert.Null(await ControlFraming.ReadFrameAsync(stream, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ReadFrameAsync_OneByteAtATime_AssemblesTwoFrames()
    {
        byte[] first = ControlFraming.ToFrame("[1]"u8);
        byte[] second = ControlFraming.ToFrame("\"second\""u8);
        var stream = new TrickleStream([.. first, .. second], chunk: 1);

        byte[]? a = await ControlFraming.ReadFrameAsync(stream, TestContext.Current.CancellationToken);
        byte[]? b = await ControlFraming.ReadFrameAsync(stream, TestContext.Current.CancellationToken);

        Assert.Equal("[1]"u8.ToArray(), a);
        Assert.Equal("\"second\""u8.ToArray(), b);
    }

    [Fact]
    public async Task ReadFrameAsync_ExactlyMaxFrame_IsAccepted()
    {
        byte[] body = new byte[ControlProtocol.MaxFrameBytes];
        body.AsSpan().Fill((byte)' ');
        var stream = new TrickleStream([.. Header(ControlProtocol.MaxFrameBytes), .. body], chunk: 65536);

        byte[]? read = await ControlFraming.ReadFrameAsync(stream, TestContext.Current.CancellationToken);

        Assert.Equal(ControlProtocol.MaxFrameBytes, read!.Length);
    }

    [Fact]
    public async Task ReadFrameAsync_OneOverMax_RefusedBeforeBodyIsRead()
    {
        var stream = new TrickleStream([.. Header(ControlProtocol.MaxFrameBytes + 1), .. new byte[100]], chunk: 4096);

        var ex = await Assert.ThrowsAsync<ControlProtocolException>(() => ControlFraming.ReadFrameAsync(stream, TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(ControlErrorName.TooLarge, ex.ErrorName);
        Assert.True(ex.BreaksConnection);
        Assert.Contains($"{ControlProtocol.MaxFrameBytes + 1}", ex.Message, StringComparison.Ordinal);
        Assert.Equal(4, stream.BytesRead);
    }

    [Fact]
    public async Task ReadFrameAsync_HugeAnnouncedLength_RefusedAsTooLarge()
    {
        var stream = new TrickleStream(Header(uint.MaxValue), chunk: 4);

        var ex = await Assert.ThrowsAsync<ControlProtocolException>(() => ControlFraming.ReadFrameAsync(stream, TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(ControlErrorName.TooLarge, ex.ErrorName);
    }

    [Fact]
    public async Task ReadFrameAsync_ZeroLength_RefusedAsBadRequest()
    {
        var stream = new TrickleStream(Header(0), chunk: 4);

        var ex = await Assert.ThrowsAsync<ControlProtocolException>(() => ControlFraming.ReadFrameAsync(stream, TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(ControlErrorName.BadRequest, ex.ErrorName);
        Assert.Contains("empty frame", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadFrameAsync_TruncatedHeader_ReportsHowFarItGot()
    {
        var stream = new TrickleStream([0, 0], chunk: 1);

        var ex = await Assert.ThrowsAsync<ControlProtocolException>(() => ControlFraming.ReadFrameAsync(stream, TestContext.Current.CancellationToken).AsTask());

        Assert.Contains("after 2 of the 4 bytes of a frame header", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.BreaksConnection);
    }

    [Fact]
    public async Task ReadFrameAsync_TruncatedBody_ReportsHowFarItGot()
    {
        var stream = new TrickleStream([.. Header(10), .. "{\"a\""u8], chunk: 3);

        var ex = await Assert.ThrowsAsync<ControlProtocolException>(() => ControlFraming.ReadFrameAsync(stream, TestContext.Current.CancellationToken).AsTask());

        Assert.Contains("after 4 of the 10 bytes of a frame", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToFrame_BodyOverMax_Refused()
    {
        var ex = Assert.Throws<ControlProtocolException>(() => ControlFraming.ToFrame(new byte[ControlProtocol.MaxFrameBytes + 1]));

        Assert.Equal(ControlErrorName.TooLarge, ex.ErrorName);
    }

    [Fact]
    public async Task ReadFrameAsync_SilentPeerAfterHalfFrame_TimesOutAsNotIdle()
    {
        using var pair = new SocketPair();
        await pair.Client.SendAsync(Header(10), TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<ControlReadTimeoutException>(() => ControlFraming.ReadFrameAsync(
            pair.ServerStream, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200), null, TestContext.Current.CancellationToken).AsTask());

        Assert.False(ex.Idle);
    }

    [Fact]
    public async Task ReadFrameAsync_SilentPeer_TimesOutAsIdle()
    {
        using var pair = new SocketPair();

        var ex = await Assert.ThrowsAsync<ControlReadTimeoutException>(() => ControlFraming.ReadFrameAsync(
            pair.ServerStream, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), null, TestContext.Current.CancellationToken).AsTask());

        Assert.True(ex.Idle);
    }
}
