using System.Numerics;

namespace NfLua.Packets.Sets;

/// <summary>
/// Sorted disjoint ranges of <typeparamref name="T"/> (IPv4 or IPv6 addresses) with a bucket index:
/// bucket <c>b</c> holds the values <c>[Base + (b &lt;&lt; shift), Base + ((b + 1) &lt;&lt; shift))</c>, the shift
/// chosen so that the buckets just cover the ranges' span (the bits all addresses share are skipped: IPv6
/// blocklists all start with 2xxx) and hold about <see cref="RangesPerBucket"/> ranges each when spread evenly.
/// <c>_index[b]</c> is the last range that starts at or before the bucket's first value, so the range that
/// holds a value of bucket b, if any, is among <c>_index[b] .. _index[b + 1]</c>: a range that starts in an
/// earlier bucket and runs into this one is found without a second look.
/// </summary>
internal sealed class RangeIndex<T>
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
{
    /// <summary>Ranges per bucket when the ranges are spread evenly (the index costs 4 / RangesPerBucket bytes per range).</summary>
    public const int RangesPerBucket = 4;

    /// <summary>The most index bits (4 MiB of index).</summary>
    public const int MaxBits = 20;

    private readonly Range[] _ranges;
    private readonly int[] _index;   // 2^bits + 1 entries
    private readonly T _base;         // the first range's start
    private readonly T _last;         // the last range's end
    private readonly int _shift;

    /// <summary>Indexes <paramref name="merged"/>: sorted, disjoint, each within <typeparamref name="T"/>.</summary>
    public RangeIndex(List<(UInt128 First, UInt128 Last)> merged)
    {
        _ranges = new Range[merged.Count];
        for (int i = 0; i < merged.Count; i++)
        {
            _ranges[i] = new Range(T.CreateChecked(merged[i].First), T.CreateChecked(merged[i].Last));
        }

        if (merged.Count == 0)
        {
            _index = [];
            return;
        }

        UInt128 first = merged[0].First, last = merged[^1].Last;
        _base = _ranges[0].First;
        _last = _ranges[^1].Last;

        // ceil(log2(buckets wanted)), at least 1 so that a shift never reaches the width of T.
        uint wanted = (uint)((merged.Count + RangesPerBucket - 1) / RangesPerBucket);
        Bits = wanted <= 2 ? 1 : Math.Min(BitOperations.Log2(wanted - 1) + 1, MaxBits);
        int spanBits = 128 - (int)UInt128.LeadingZeroCount(last - first); // bits of last - first
        _shift = Math.Max(spanBits - Bits, 0);
        int buckets = 1 << Bits;
        _index = new int[buckets + 1];
        int range = 0;
        for (int b = 0; b < buckets; b++)
        {
            // The bucket's first value; past the end of the value space (or past the last range), the last range.
            UInt128 offset = (UInt128)(uint)b << _shift;
            if (offset > last - first)
            {
                _index[b] = merged.Count - 1;
                continue;
            }

            UInt128 bucketFirst = first + offset;
            while (range + 1 < merged.Count && merged[range + 1].First <= bucketFirst)
            {
                range++;
            }

            _index[b] = range;
        }

        _index[buckets] = merged.Count - 1;
    }

    /// <summary>Index bits (at least 1: two buckets for a handful of ranges).</summary>
    public int Bits { get; }

    /// <summary>The disjoint ranges.</summary>
    public int Count => _ranges.Length;

    /// <summary>Bytes taken: the ranges (start and end) and the index.</summary>
    public long MemoryBytes => (_ranges.LongLength * 2L * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()) + (_index.LongLength * 4L);

    /// <summary>Range <paramref name="i"/> in address order.</summary>
    public (T First, T Last) this[int i] => (_ranges[i].First, _ranges[i].Last);

    /// <summary>Whether some range holds <paramref name="value"/>.</summary>
    public bool Contains(T value)
    {
        Range[] ranges = _ranges;
        if (ranges.Length == 0 || value < _base || value > _last)
        {
            return false;
        }

        int bucket = int.CreateTruncating((value - _base) >>> _shift);
        int[] index = _index;
        int lo = index[bucket], hi = index[bucket + 1];

        // ranges[lo] starts at or before the bucket's first value, so at or before the value: find the last such.
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >>> 1;
            if (ranges[mid].First <= value)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return value <= ranges[lo].Last;
    }

    private readonly record struct Range(T First, T Last);
}
