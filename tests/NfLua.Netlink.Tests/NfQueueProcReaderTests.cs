namespace NfLua.Netlink.Tests;

public sealed class NfQueueProcReaderTests
{
    // The kernel's format: "%5u %6u %5u %1u %5u %5u %5u %8u %2d\n".
    private const string Sample = """
            3 123456     5 2 65535     7     8       42  1
          101  -4242     0 2  1500     0     0        0  1
        garbage
            9   3000     0 2  1500     0     0       17  1 extra
           10   3001     2 1    64     1     2 4294967295  1

        """;

    [Fact]
    public void Parse_ReadsEveryColumn_AndSkipsBadLines()
    {
        IReadOnlyList<NfQueueKernelCounters> counters = NfQueueProcReader.Parse(Sample);

        Assert.Equal(
            [new NfQueueKernelCounters(3, 123456, 5, 2, 65535, 7, 8, 42), new NfQueueKernelCounters(10, 3001, 2, 1, 64, 1, 2, uint.MaxValue)],
            counters);
    }

    [Theory]
    [InlineData("    3 123456     5 2 65535     7     8       42  1", true)]
    [InlineData("3 1 2 1 64 1 2 3 -1", true)]                 // the last column is signed
    [InlineData("3 1 2 1 64 1 2 4294967296 1", false)]        // over u32
    [InlineData("3 1 2 1 64 1 -2 3 1", false)]                // a counter with a sign
    [InlineData("3 1 2 1 64 1 +2 3 1", false)]
    [InlineData("3 1 2 1 64 1 2 3", false)]                   // eight columns
    [InlineData("3 1 2 1 64 1 2 3 1 1", false)]               // ten
    [InlineData("3 1 2 1 64 1 2x 3 1", false)]
    [InlineData("3 1 2 1 64 1 2 3 1x", false)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("3 1 2 1 64 1 2 3 é", false)]
    public void TryParseLine_BytesAndString_AgreeOnEveryLine(string line, bool valid)
    {
        Span<uint> values = stackalloc uint[8];
        bool fromBytes = NfQueueProcReader.TryParseLine(System.Text.Encoding.UTF8.GetBytes(line), values);
        bool fromString = NfQueueProcReader.TryParseLine(line, out NfQueueKernelCounters? counters);

        Assert.Equal(valid, fromBytes);
        Assert.Equal(valid, fromString);
        if (valid)
        {
            Assert.Equal(
                [counters!.QueueNumber, counters.PortId, counters.Waiting, counters.CopyMode, counters.CopyRange, counters.QueueDropped, counters.UserDropped, counters.IdSequence],
                values.ToArray());
        }
    }

    [Fact]
    public void Read_MissingFile_IsEmpty()
    {
        Assert.Empty(NfQueueProcReader.Read("/nonexistent/nfnetlink_queue"));
    }

    [Fact]
    public void Find_ReturnsTheQueue_OrNull()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Sample);

            Assert.Equal(8u, NfQueueProcReader.Find(3, path)?.UserDropped);
            Assert.Null(NfQueueProcReader.Find(4, path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
