using System.Numerics;

namespace NfLua.Scripting;

/// <summary>
/// The buckets of a rule's call-time histogram: bucket 0 holds calls under 1 µs, bucket i (1 to
/// 20) calls from 2^(i-1) µs up to 2^i µs, and the last bucket calls of 2^20 µs (about 1 s) or more.
/// </summary>
public static class CallTimeHistogram
{
    /// <summary>Number of buckets.</summary>
    public const int BucketCount = 22;

    /// <summary>The bucket a call of <paramref name="nanoseconds"/> falls in.</summary>
    public static int Bucket(long nanoseconds)
    {
        long micros = nanoseconds / 1000;
        if (micros <= 0)
        {
            return 0;
        }

        int bucket = 64 - BitOperations.LeadingZeroCount((ulong)micros);
        return bucket < BucketCount - 1 ? bucket : BucketCount - 1;
    }

    /// <summary>The exclusive upper bound of a bucket in nanoseconds; <see cref="long.MaxValue"/> for the last one.</summary>
    public static long UpperBoundNanoseconds(int bucket) =>
        bucket >= BucketCount - 1 ? long.MaxValue : 1000L << bucket;
}
