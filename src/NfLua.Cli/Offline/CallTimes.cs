namespace NfLua.Cli.Offline;

/// <summary>How long each <c>filter</c> call of a <c>test</c> run took: the figures that let a rule's cost be judged
/// before it is loaded.</summary>
internal sealed class CallTimes
{
    private double _totalNanoseconds;

    public int Count { get; private set; }

    public long MaxNanoseconds { get; private set; }

    /// <summary>The record of the longest call.</summary>
    public int MaxPacket { get; private set; }

    public long? MeanNanoseconds => Count == 0 ? null : (long)(_totalNanoseconds / Count);

    public void Add(int packet, TimeSpan elapsed)
    {
        long nanoseconds = (long)elapsed.TotalNanoseconds;
        _totalNanoseconds += nanoseconds;
        Count++;
        if (Count == 1 || nanoseconds > MaxNanoseconds)
        {
            MaxNanoseconds = nanoseconds;
            MaxPacket = packet;
        }
    }
}
