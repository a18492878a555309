using NfLua.Engine;

namespace NfLua.Examples.Tests.Streams;

/// <summary>
/// The evasion matrix of issue 17 ("Done when") for an example that follows TCP streams: every way of cutting, ordering,
/// overlapping and rewriting the decisive message that a receiving stack would assemble into a blocked one is stopped
/// (the receiver never holds it whole, the flow is dropped for good), and no benign connection loses a packet. IPv4 and
/// IPv6. Each example's class gives the message naming a blocked host and one of the same length naming an allowed host.
/// </summary>
public abstract class StreamEvasionMatrix
{
    private protected abstract StreamMatrix Matrix { get; }

    private protected abstract string Example { get; }

    /// <summary>The decisive message naming a blocked host.</summary>
    private protected abstract byte[] Blocked { get; }

    /// <summary>The same message, of the same length, naming an allowed host.</summary>
    private protected abstract byte[] Allowed { get; }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BlockedMessage_HoweverSegmented_IsStopped(bool ipv6)
    {
        using var queue = new ExampleQueue(Example);
        int cases = 0;
        foreach ((string name, Send[] sends) in StreamMatrix.Segmentations(Blocked))
        {
            StreamMatrix.Stopped(name, Blocked, Matrix.Play(queue, ipv6, sends));
            cases++;
        }

        Assert.True(cases > Blocked.Length, $"only {cases} cases");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AllowedMessage_HoweverSegmented_Passes_AndTheFlowThenCostsNoCall(bool ipv6)
    {
        using var queue = new ExampleQueue(Example);
        foreach ((string name, Send[] sends) in StreamMatrix.Segmentations(Allowed))
        {
            StreamMatrix.Outcome outcome = Matrix.Play(queue, ipv6, sends);
            StreamMatrix.Passed(name, Allowed, outcome);
            Assert.False(outcome.LaterCalledTheRule, $"{name}: the accepted flow's later packet still called the rule ({outcome})");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WithoutAcknowledgements_TheVerdictsAreTheSame(bool ipv6)
    {
        // A queue that sees one direction only (or a receiver slow to acknowledge): no accept sticks, every packet is judged.
        using var queue = new ExampleQueue(Example);
        foreach ((string name, Send[] sends) in StreamMatrix.Segmentations(Blocked, everyByte: false))
        {
            StreamMatrix.Stopped(name, Blocked, Matrix.Play(queue, ipv6, sends, acknowledge: false));
        }

        foreach ((string name, Send[] sends) in StreamMatrix.Segmentations(Allowed, everyByte: false))
        {
            StreamMatrix.Outcome outcome = Matrix.Play(queue, ipv6, sends, acknowledge: false);
            StreamMatrix.Passed(name, Allowed, outcome);
            Assert.True(outcome.LaterCalledTheRule, $"{name}: an accept stuck before the receiver acknowledged ({outcome})");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BenignFirstCopy_RewrittenByARetransmissionNamingTheBlockedHost_TheReceiverKeepsTheBenignOne(bool ipv6)
    {
        using var queue = new ExampleQueue(Example);
        foreach (int cut in StreamMatrix.Cuts(Allowed.Length))
        {
            foreach (bool acknowledge in new[] { true, false })
            {
                // The first part goes out benign, then again with the blocked name's bytes, then the rest.
                StreamMatrix.Outcome outcome = Matrix.Play(queue, ipv6,
                    [new Send(0, Allowed[..cut]), new Send(0, Blocked[..cut]), new Send(cut, Allowed[cut..])], acknowledge: acknowledge);
                Assert.True(outcome.Delivered.AsSpan().SequenceEqual(Allowed), $"cut at {cut}: {outcome}");

                // The whole benign message, then the whole blocked one over it.
                outcome = Matrix.Play(queue, ipv6, [new Send(0, Allowed), new Send(0, Blocked)], acknowledge: acknowledge);
                Assert.True(outcome.Delivered.AsSpan().SequenceEqual(Allowed), $"whole: {outcome}");
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BlockedFirstCopy_ThenABenignRetransmission_StaysDropped(bool ipv6)
    {
        using var queue = new ExampleQueue(Example);
        foreach (int cut in StreamMatrix.Cuts(Blocked.Length))
        {
            // The blocked message is dropped where it completes; whatever comes after, the flow stays dropped.
            StreamMatrix.Outcome outcome = Matrix.Play(queue, ipv6, [new Send(0, Blocked[..cut]), new Send(cut, Blocked[cut..]), new Send(0, Allowed)]);
            StreamMatrix.Stopped($"cut at {cut}", Blocked, outcome);
            Assert.Equal(DecisionKind.Drop, outcome.Verdicts[^1].Verdict);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SynWithData_IsDropped_AndTheRetryIsJudgedAsAnyConnection(bool ipv6)
    {
        using var queue = new ExampleQueue(Example);
        StreamMatrix.Outcome blocked = Matrix.Play(queue, ipv6, StreamMatrix.Pieces(Blocked, 2), synData: Blocked);
        Assert.Equal(DecisionKind.Drop, blocked.Verdicts[0].Verdict);
        StreamMatrix.Stopped("SYN with the blocked message", Blocked, blocked);

        StreamMatrix.Outcome allowed = Matrix.Play(queue, ipv6, StreamMatrix.Pieces(Allowed, 2), synData: Allowed);
        Assert.Equal(DecisionKind.Drop, allowed.Verdicts[0].Verdict);
        StreamMatrix.Passed("SYN with the allowed message, then the retry", Allowed, allowed with { Verdicts = allowed.Verdicts[1..] });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Midstream_EachPacketIsJudgedAlone(bool ipv6)
    {
        using var queue = new ExampleQueue(Example);
        StreamMatrix.Outcome blocked = Matrix.Play(queue, ipv6, [new Send(0, Blocked)], midstream: true);
        Assert.Equal(DecisionKind.Drop, blocked.Verdicts[0].Verdict);
        StreamMatrix.Outcome allowed = Matrix.Play(queue, ipv6, StreamMatrix.Pieces(Allowed, 3), midstream: true, acknowledge: false);
        Assert.True(allowed.AllAccepted, allowed.ToString());
        Assert.True(allowed.LaterCalledTheRule, "a midstream flow got a sticky verdict");
    }
}
