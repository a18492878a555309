using System.Buffers.Binary;

namespace NfLua.Packets.Sets;

/// <summary>
/// IPv4 and IPv6 networks, merged into sorted disjoint address ranges, whatever the prefix lengths and
/// however they overlap. A lookup reads one entry of a bucket index (the address's leading bits, taken
/// from where the set's addresses start to differ, about four ranges per bucket), then binary-searches
/// the few ranges of that bucket, stored start and end side by side: two or three cache lines in all,
/// where a binary search of the whole list took some twenty.
/// </summary>
public sealed class CidrSet : IMatchSet
{
    private readonly RangeIndex<uint> _v4;
    private readonly RangeIndex<UInt128> _v6;

    private CidrSet(int count, RangeIndex<uint> v4, RangeIndex<UInt128> v6)
    {
        Count = count;
        _v4 = v4;
        _v6 = v6;
    }

    /// <summary>An empty set.</summary>
    public static CidrSet Empty { get; } = Build([]);

    /// <inheritdoc/>
    public SetKind Kind => SetKind.Cidr;

    /// <inheritdoc/>
    public int Count { get; }

    /// <summary>The disjoint address ranges the networks merged into.</summary>
    public int RangeCount => _v4.Count + _v6.Count;

    /// <inheritdoc/>
    public long MemoryBytes => _v4.MemoryBytes + _v6.MemoryBytes;

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

        return new CidrSet(networks.Count, new RangeIndex<uint>(Merge(v4)), new RangeIndex<UInt128>(Merge(v6)));
    }

    /// <summary>Whether an address (4 or 16 bytes, network order) is in some network of the set.</summary>
    public bool ContainsAddress(ReadOnlySpan<byte> address) => address.Length switch
    {
        4 => _v4.Contains(BinaryPrimitives.ReadUInt32BigEndian(address)),
        16 => _v6.Contains(BinaryPrimitives.ReadUInt128BigEndian(address)),
        _ => false,
    };

    /// <summary>Whether address text (IPv4 or IPv6, no prefix) is in some network of the set; false for anything else.</summary>
    public bool Contains(ReadOnlySpan<byte> text)
    {
        if (!text.Contains((byte)':'))
        {
            return IPAddressParser.TryParseIPv4(text, out uint v4) && _v4.Contains(v4);
        }

        if (text.Length > IPAddressText.MaxLength)
        {
            return false;
        }

        Span<char> chars = stackalloc char[IPAddressText.MaxLength];
        Span<byte> address = stackalloc byte[16];
        return AsciiText.TryWiden(text, chars, out int length)
            && IPAddressParser.TryParseIPv6(chars[..length], address)
            && _v6.Contains(BinaryPrimitives.ReadUInt128BigEndian(address));
    }

    /// <summary>The set as the fewest networks that cover exactly its addresses (overlaps merged).</summary>
    public IEnumerable<string> Entries()
    {
        for (int i = 0; i < _v4.Count; i++)
        {
            (uint first, uint last) = _v4[i];
            foreach (string network in Networks(4, first, last))
            {
                yield return network;
            }
        }

        for (int i = 0; i < _v6.Count; i++)
        {
            (UInt128 first, UInt128 last) = _v6[i];
            foreach (string network in Networks(6, first, last))
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
