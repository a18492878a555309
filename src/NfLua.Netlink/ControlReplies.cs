namespace NfLua.Netlink;

/// <summary>The acknowledgements awaited while configuring a queue, matched by sequence number.</summary>
internal sealed class ControlReplies
{
    private readonly int[] _errnos = new int[4];
    private readonly bool[] _answered = new bool[4];
    private uint _first;
    private int _count;

    /// <summary>Waits for replies to the <paramref name="count"/> requests numbered from <paramref name="first"/>.</summary>
    public void Expect(uint first, int count)
    {
        _first = first;
        _count = count;
        Array.Clear(_errnos);
        Array.Clear(_answered);
    }

    /// <summary>Records a reply; false when it answers none of the awaited requests.</summary>
    public bool TryRecord(uint sequence, int errno)
    {
        uint index = sequence - _first;
        if (index >= (uint)_count)
        {
            return false;
        }

        _errnos[index] = errno;
        _answered[index] = true;
        return true;
    }

    public bool IsAnswered(int index) => _answered[index];

    public int Errno(int index) => _errnos[index];

    public void Reset() => _count = 0;
}
