using System.Buffers.Binary;

namespace NfLua.Packets.Sets;

/// <summary>
/// IPv4 and IPv6 networks, merged into sorted disjoint address ranges: a lookup is a binary search
/// (about 20 steps for a million networks), whatever the prefix lengths and however they overlap.
/// </summary>
public sealed class CidrSet : IMatchSet
{
    private readonly uint[] _v4Starts;
    private readonly uint[] _v4Ends;
    private readonly UInt128[] _v6Starts;
    private readonly UInt128[] _v6Ends;

    private CidrSet(int count, uint[] v4Starts, uint[] v4Ends, UInt128[] v6Starts, UInt128[] v6Ends)
    {
        Count = count;
        _v4Starts = v4Starts;
        _v4Ends = v4Ends;
        _v6Starts = v6Starts;
        _v6Ends = v6Ends;
    }

    /// <summary>An empty set.</summary>
    public static CidrSet Empty { get; } = Build([]);

    /// <inheritdoc/>
    public SetKind Kind => SetKind.Cidr;

    /// <inheritdoc/>
    public int Count { get; }

    /// <summary>The disjoint address ranges the networks merged into.</summary>
    public int RangeCount => _v4Starts.Length + _v6Starts.Length;

    /// <inheritdoc/>
    public long MemoryBytes => (_v4Starts.Length * 8L) + (_v6Starts.Length * 32L);

    /// <summary>Builds a set from networks (duplicates and overlaps are fine).</summary>
    public static CidrSet Build(IReadOnlyCollection<Cidr> networks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        var v4 = new List<(UInt128 First, UInt128 Last)>();
        var v6 = new List<(UInt128 First, UInt128 Last)>();
        foreach (Cidr network in networks)
        {
            (network.Version == 4 ? v4 : v6).Add((network.First, network.Last));
        }

        List<(UInt128 First, UInt128 Last)> merged4 = Merge(v4), merged6 = Merge(v6);
        return new CidrSet(
            networks.Count,
            [.. merged4.Select(r => (uint)r.First)],
            [.. merged4.Select(r => (uint)r.Last)],
            [.. merged6.Select(r => r.First)],
            [.. merged6.Select(r => r.Last)]);
    }

    /// <summary>Whether an address (4 or 16 bytes, network order) is in some network of the set.</summary>
    public bool ContainsAddress(ReadOnlySpan<byte> address) => address.Length switch
    {
        4 => Find(_v4Starts, _v4Ends, BinaryPrimitives.ReadUInt32BigEndian(address)),
        16 => Find(_v6Starts, _v6Ends, BinaryPrimitives.ReadUInt128BigEndian(address)),
        _ => false,
    };

    /// <summary>Whether address text (IPv4 or IPv6, no prefix) is in some network of the set; false for anything else.</summary>
    public bool Contains(ReadOnlySpan<byte> text)
    {
        if (text.Length > IPAddressText.MaxLength)
        {
            return false;
        }

        Span<char> chars = stackalloc char[IPAddressText.MaxLength];
        if (!AsciiText.TryWiden(text, chars, out int length))
        {
            return false;
        }

        Span<byte> address = stackalloc byte[16];
        ReadOnlySpan<char> t = chars[..length];
        if (t.Contains(':'))
        {
            return IPAddressParser.TryParseIPv6(t, address) && ContainsAddress(address);
        }

        return IPAddressParser.TryParseIPv4(t, address) && ContainsAddress(address[..4]);
    }

    /// <summary>The set as the fewest networks that cover exactly its addresses (overlaps merged).</summary>
    public IEnumerable<string> Entries()
    {
        for (int i = 0; i < _v4Starts.Length; i++)
        {
            foreach (string network in Networks(4, _v4Starts[i], _v4Ends[i]))
            {
                yield return network;
            }
        }

        for (int i = 0; i < _v6Starts.Length; i++)
        {
            foreach (string network in Networks(6, _v6Starts[i], _v6Ends[i]))
            {
                yield return network;
            }
        }
    }

    // The largest aligned blocks that tile [first, last], from first up.
    private static List<string> Networks(int version, UInt128 first, UInt128 last)
    {
        int bits = version == 4 ? 32 : 128;
        Span<byte> bytes = stackalloc byte[16];
        var networks = new List<string>();
        while (true)
        {
            int size = 0; // block of 2^size addresses
            while (size < bits)
            {
                // (A shift by 128 is a shift by 0 for UInt128: the whole space is spelled out.)
                UInt128 mask = size + 1 == 128 ? UInt128.MaxValue : (UInt128.One << (size + 1)) - 1;
                if ((first & mask) != 0 || first + mask > last)
                {
                    break;
                }

                size++;
            }

            if (version == 4)
            {
                BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)first);
                networks.Add($"{IPAddressText.Format(bytes[..4])}/{bits - size}");
            }
            else
            {
                BinaryPrimitives.WriteUInt128BigEndian(bytes, first);
                networks.Add($"{IPAddressText.Format(bytes)}/{bits - size}");
            }

            UInt128 blockLast = size == 128 ? UInt128.MaxValue : first + (UInt128.One << size) - 1;
            if (blockLast >= last)
            {
                return networks;
            }

            first = blockLast + 1;
        }
    }

    private static bool Find<T>(T[] starts, T[] ends, T value)
        where T : IComparable<T>
    {
        // The last range that starts at or before the value.
        int lo = 0, hi = starts.Length - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (starts[mid].CompareTo(value) <= 0)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found >= 0 && value.CompareTo(ends[found]) <= 0;
    }

    private static List<(UInt128 First, UInt128 Last)> Merge(List<(UInt128 First, UInt128 Last)> ranges)
    {
        ranges.Sort((a, b) => a.First.CompareTo(b.First));
        var merged = new List<(UInt128 First, UInt128 Last)>(ranges.Count);
        foreach ((UInt128 first, UInt128 last) in ranges)
        {
            if (merged.Count > 0 && (merged[^1].Last == UInt128.MaxValue || first <= merged[^1].Last + 1))
            {
                if (last > merged[^1].Last)
                {
                    merged[^1] = (merged[^1].First, last);
                }
            }
            else
            {
                merged.Add((first, last));
            }
        }

        return merged;
    }
}
