namespace NfLua.Netlink.Tests;

public sealed class NfVerdictTests
{
    [Theory]
    [InlineData(0u, NfVerdictKind.Drop)]
    [InlineData(1u, NfVerdictKind.Accept)]
    [InlineData(4u, NfVerdictKind.Repeat)]
    [InlineData(5u, NfVerdictKind.Stop)]
    public void SimpleVerdicts_HaveTheKernelValues(uint expected, NfVerdictKind kind)
    {
        NfVerdict verdict = kind switch
        {
            NfVerdictKind.Drop => NfVerdict.Drop,
            NfVerdictKind.Accept => NfVerdict.Accept,
            NfVerdictKind.Repeat => NfVerdict.Repeat,
            _ => NfVerdict.Stop,
        };

        Assert.Equal(expected, verdict.Value);
        Assert.Equal(kind, verdict.Kind);
    }

    [Theory]
    [InlineData((ushort)0, false, 0x0000_0003u)]
    [InlineData((ushort)3, false, 0x0003_0003u)]
    [InlineData((ushort)3, true, 0x0003_8003u)]
    [InlineData((ushort)65535, true, 0xFFFF_8003u)]
    public void Queue_PutsTheTargetInTheHighHalf_AndBypassAt0x8000(ushort target, bool bypass, uint expected)
    {
        NfVerdict verdict = NfVerdict.Queue(target, bypass);

        Assert.Equal(expected, verdict.Value);
        Assert.Equal(NfVerdictKind.Queue, verdict.Kind);
    }
}
