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
