using NfLua.Scripting.Messages;

namespace NfLua.Scripting.Tests.Messages;

/// <summary>The ring between a rule's thread and the drain: bounded, never waiting, counting what it drops.</summary>
public sealed class RuleMessageRingTests
{
    [Fact]
    public void AFullRing_DropsAndCounts_UntilTheConsumerReleases()
    {
        var ring = new RuleMessageRing(4);
        for (int i = 0; i < 4; i++)
        {
            Assert.NotNull(ring.TryStage());
        }

        Assert.Null(ring.TryStage());
        Assert.Null(ring.TryStage());
        Assert.Equal(2, ring.Dropped);

        ring.Publish(FilterVerdict.Drop, 0);
        Assert.NotNull(ring.Peek());
        ring.Release();
        Assert.NotNull(ring.TryStage());          // one slot free again
        Assert.Null(ring.TryStage());
        Assert.Equal(3, ring.Dropped);
    }

    [Fact]
    public void StagedSlots_AreInvisible_UntilPublishedWithTheFinalVerdict()
    {
        var ring = new RuleMessageRing(8);
        ring.TryStage()!.SetMessage("first"u8);
        ring.TryStage()!.SetMessage("second"u8);
        Assert.Null(ring.Peek());

        ring.Publish(FilterVerdict.Queue, 7);
        RuleMessage first = ring.Peek()!;
        Assert.Equal("first"u8.ToArray(), first.Message.ToArray());
        Assert.Equal(FilterVerdict.Queue, first.FinalVerdict);
        Assert.Equal(7, first.FinalVerdictQueue);
        ring.Release();
        Assert.Equal("second"u8.ToArray(), ring.Peek()!.Message.ToArray());
        ring.Release();
        Assert.Null(ring.Peek());
    }

    [Fact]
    public void Capacity_IsAPowerOfTwo()
    {
        Assert.Equal(8, new RuleMessageRing(5).Capacity);
        Assert.Equal(2, new RuleMessageRing(0).Capacity);
    }
}
