namespace NfLua.Netlink.Tests;

public sealed class NfQueueOptionsTests
{
    [Fact]
    public void Defaults_AreValid_AndMatchTheKernel()
    {
        var options = new NfQueueOptions();

        Assert.Empty(options.Validate());
        Assert.Equal(1024u, options.MaxLength);
        Assert.False(options.FailOpen);
    }

    [Fact]
    public void Validate_ReportsEveryProblemAtOnce()
    {
        var options = new NfQueueOptions { MaxLength = 0, CopyRange = 70000, ReceiveBufferSize = -1, BatchSize = 0, ConfigureTimeout = TimeSpan.Zero };

        Assert.Equal(5, options.Validate().Count);
    }

    [Fact]
    public void Open_WithInvalidOptions_ThrowsBeforeTouchingTheKernel()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => NfQueueSocket.Open(new NfQueueOptions { BatchSize = 0 }));

        Assert.Contains("BatchSize", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1024u, 65535u, 1024 * 2304)]
    [InlineData(1024u, 64u, 1024 * 1024)]
    [InlineData(1u, 65535u, 256 * 1024)]
    [InlineData(4_000_000_000u, 65535u, int.MaxValue / 2)]
    public void DefaultReceiveBuffer_IsMaxLengthTimesThePerPacketCost_Clamped(uint maxLength, uint copyRange, int expected)
    {
        Assert.Equal(expected, NfQueueSocket.DefaultReceiveBufferSize(maxLength, copyRange));
    }
}
