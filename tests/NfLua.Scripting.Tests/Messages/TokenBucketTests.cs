using NfLua.Scripting.Messages;

namespace NfLua.Scripting.Tests.Messages;

/// <summary>The per-rule limit: a burst at once, then the rate, by the packet's clock.</summary>
public sealed class TokenBucketTests
{
    [Fact]
    public void Burst_ThenRefused_UntilTheRateRefills()
    {
        var bucket = new TokenBucket(ratePerSecond: 20, burst: 100);
        int taken = Enumerable.Range(0, 150).Count(_ => bucket.TryTake(1000));
        Assert.Equal(100, taken);

        Assert.False(bucket.TryTake(1049));        // 49 ms: not yet a token at 20/s
        Assert.True(bucket.TryTake(1050));         // 50 ms: one
        Assert.False(bucket.TryTake(1050));
        Assert.Equal(20, Enumerable.Range(0, 50).Count(_ => bucket.TryTake(2050))); // one second more: 20
    }

    [Fact]
    public void AQuietSpell_RefillsNoMoreThanTheBurst()
    {
        var bucket = new TokenBucket(20, 5);
        Assert.Equal(5, Enumerable.Range(0, 10).Count(_ => bucket.TryTake(0)));
        Assert.Equal(5, Enumerable.Range(0, 10).Count(_ => bucket.TryTake(long.MaxValue / 2)));
    }

    [Fact]
    public void AClockGoingBack_RefillsNothing()
    {
        var bucket = new TokenBucket(1000, 1);
        Assert.True(bucket.TryTake(10_000));
        Assert.False(bucket.TryTake(5_000));
        Assert.False(bucket.TryTake(10_000));
        Assert.True(bucket.TryTake(10_001));
    }

    [Fact]
    public void ZeroBurst_RefusesEverything()
    {
        var bucket = new TokenBucket(1000, 0);
        Assert.False(bucket.TryTake(0));
        Assert.False(bucket.TryTake(100_000));
    }
}
