using System.Buffers.Binary;
using System.Net;
using System.Text;
using NfLua.Packets.Sets;

namespace NfLua.Packets.Tests.Sets;

/// <summary>CidrSet answers exactly as "some network of the list contains the address" does.</summary>
public sealed class CidrSetTests
{
    [Theory]
    [InlineData(4, 1)]
    [InlineData(4, 2)]
    [InlineData(6, 3)]
    [InlineData(6, 4)]
    public void RandomNetworks_MatchTheReference_AtEveryBoundary(int version, int seed)
    {
        var random = new Random(seed);
        var networks = new List<Cidr>();
        for (int i = 0; i < 2000; i++)
        {
            networks.Add(RandomNetwork(random, version, clustered: i % 2 == 0));
        }

        CidrSet set = CidrSet.Build(networks);
        var probes = new List<byte[]>();
        foreach (Cidr network in networks)
        {
            probes.Add(Bytes(version, network.First));
            probes.Add(Bytes(version, network.Last));
            if (network.First > 0)
            {
                probes.Add(Bytes(version, network.First - 1));
            }

            if (network.Last < (version == 4 ? uint.MaxValue : UInt128.MaxValue))
            {
                probes.Add(Bytes(version, network.Last + 1));
            }
        }

        for (int i = 0; i < 20000; i++)
        {
            probes.Add(Bytes(version, RandomValue(random, version)));
        }

        foreach (byte[] address in probes)
        {
            bool expected = networks.Any(n => n.Contains(address));
            Assert.True(expected == set.ContainsAddress(address), $"{new IPAddress(address)}: expected {expected}");
            Assert.Equal(expected, set.Contains(Encoding.ASCII.GetBytes(new IPAddress(address).ToString())));
        }
    }

    [Fact]
    public void Entries_CoverExactlyTheSameAddresses()
    {
        var random = new Random(5);
        var networks = Enumerable.Range(0, 500).Select(i => RandomNetwork(random, i % 2 == 0 ? 4 : 6, clustered: true)).ToList();
        CidrSet set = CidrSet.Build(networks);
        CidrSet again = CidrSet.Build([.. set.Entries().Select(Cidr.Parse)]);

        Assert.Equal(set.RangeCount, again.RangeCount);
        for (int i = 0; i < 20000; i++)
        {
            int version = i % 2 == 0 ? 4 : 6;
            byte[] address = Bytes(version, i % 3 == 0 ? networks[i % networks.Count].Last : RandomValue(random, version));
            Assert.Equal(set.ContainsAddress(address), again.ContainsAddress(address));
        }
    }

    [Theory]
    [InlineData("0.0.0.0/0", "255.255.255.255", true)]
    [InlineData("0.0.0.0/0", "::1", false)]
    [InlineData("::/0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true)]
    [InlineData("::/0", "10.0.0.1", false)]
    [InlineData("10.0.0.0/8", "::ffff:10.0.0.1", false)]
    [InlineData("192.0.2.1", "192.0.2.1", true)]
    [InlineData("192.0.2.1", "192.0.2.2", false)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::", false)]
    public void Contains_EdgeNetworks(string network, string address, bool expected)
    {
        CidrSet set = CidrSet.Build([Cidr.Parse(network)]);
        Assert.Equal(expected, set.Contains(Encoding.ASCII.GetBytes(address)));
        Assert.Equal(expected, set.ContainsAddress(IPAddress.Parse(address).GetAddressBytes()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.0.0.1/8")]
    [InlineData("not an address")]
    [InlineData("010.0.0.1")]
    [InlineData("2001:db8::1%eth0")]
    public void Contains_TextThatIsNotAnAddress_IsFalse(string text) =>
        Assert.False(CidrSet.Build([Cidr.Parse("0.0.0.0/0"), Cidr.Parse("::/0")]).Contains(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void AdjacentAndNestedNetworks_MergeIntoOneRange()
    {
        CidrSet set = CidrSet.Build([Cidr.Parse("10.0.0.0/25"), Cidr.Parse("10.0.0.128/25"), Cidr.Parse("10.0.0.7/32"), Cidr.Parse("10.0.0.0/24")]);
        Assert.Equal(4, set.Count);
        Assert.Equal(1, set.RangeCount);
        Assert.Equal(["10.0.0.0/24"], set.Entries());
    }

    // The lookup reads a bucket index on the address's leading bits (from where the set's addresses start to
    // differ), then searches the bucket's ranges: every bucket's first and last address, and ranges that start in
    // one bucket and end in another, answer as a plain binary search over the merged ranges does.
    [Theory]
    [InlineData(4, 21, 60_000, true)]
    [InlineData(4, 22, 60_000, false)]
    [InlineData(4, 23, 3, true)]
    [InlineData(4, 24, 9, false)]
    [InlineData(6, 25, 60_000, true)]
    [InlineData(6, 26, 60_000, false)]
    [InlineData(6, 27, 3, true)]
    [InlineData(6, 28, 9, false)]
    public void IndexBucketBoundaries_MatchAPlainBinarySearch(int version, int seed, int count, bool wholeSpace)
    {
        var random = new Random(seed);
        int bits = version == 4 ? 32 : 128;
        UInt128 all = version == 4 ? uint.MaxValue : UInt128.MaxValue;

        // Most networks long and inside one region (10/8, 2000::/8), so that the index starts past the shared bits;
        // some /15, /16, /17, /1 that span many buckets; with wholeSpace, the first and last address of the space.
        UInt128 region = version == 4 ? (UInt128)0x0A000000u : (UInt128)0x20 << 120;
        int regionBits = 8;
        var networks = new List<Cidr>();
        for (int i = 0; i < count; i++)
        {
            int prefix = (i % 50) switch
            {
                0 => 15,
                1 => 16,
                2 => 17,
                _ => random.Next(bits - 16, bits + 1),
            };
            UInt128 value = (RandomValue(random, version) & (all >> regionBits)) | region;
            networks.Add(Network(version, value, prefix));
        }

        if (wholeSpace)
        {
            networks.Add(Network(version, 0, bits));
            networks.Add(Network(version, all, bits));
            networks.Add(Network(version, all, bits - 15));
        }

        CidrSet set = CidrSet.Build(networks);
        List<(UInt128 First, UInt128 Last)> reference = MergedRanges(networks);
        UInt128 first = reference[0].First, last = reference[^1].Last;
        int spanBits = 128 - (int)UInt128.LeadingZeroCount(last - first);
        int stepBits = Math.Max(spanBits - 16, 0); // buckets start at multiples of 2^shift past the first address, shift >= this
        var probes = new List<UInt128> { 0, all, 1, all - 1 };
        for (UInt128 k = 0; k <= (UInt128)1 << 16; k++)
        {
            UInt128 offset = k << stepBits;
            if (offset > all - first)
            {
                break;
            }

            probes.Add(first + offset);
            probes.Add(first + offset - 1); // wraps to the last address for k = 0 at 0: fine, still an address
            probes.Add(first + offset + 1);
        }

        foreach ((UInt128 f, UInt128 l) in reference)
        {
            probes.AddRange([f - 1, f, l, l + 1]);
        }

        foreach (UInt128 probe in probes)
        {
            UInt128 value = probe & all;
            bool expected = InReference(reference, value);
            Assert.True(expected == set.ContainsAddress(Bytes(version, value)), $"{new IPAddress(Bytes(version, value))}: expected {expected}");
        }
    }

    [Theory]
    [InlineData("0.0.0.0/0", "0.0.0.0,255.255.255.255,128.0.0.0", "")]
    [InlineData("0.0.0.0/1", "0.0.0.0,127.255.255.255", "128.0.0.0,255.255.255.255")]
    [InlineData("128.0.0.0/1", "128.0.0.0,255.255.255.255", "0.0.0.0,127.255.255.255")]
    [InlineData("0.0.0.0/32,255.255.255.255/32", "0.0.0.0,255.255.255.255", "0.0.0.1,255.255.255.254,128.0.0.0")]
    [InlineData("10.0.0.0/15,10.3.0.0/16,10.5.0.0/17", "10.0.0.0,10.1.255.255,10.3.0.0,10.3.255.255,10.5.0.0,10.5.127.255", "9.255.255.255,10.2.0.0,10.2.255.255,10.4.255.255,10.5.128.0")]
    [InlineData("255.255.255.255/32", "255.255.255.255", "255.255.255.254,0.0.0.0")]
    [InlineData("0.0.0.0/32", "0.0.0.0", "0.0.0.1,255.255.255.255")]
    [InlineData("::/0", "::,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff,8000::", "0.0.0.0")]
    [InlineData("::/1", "::,7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "8000::,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("8000::/1", "8000::,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::,7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("::/128,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "::,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::1,ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe,8000::")]
    [InlineData("2000::/15,2001:db8::1/128,2a00::/16,2a01::/17,2a02::/24,2a03::/127", "2000::,2001:ffff::1,2a00:ffff:ffff::,2a01:7fff::,2a02:ff::,2a03::1", "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff,2002::,2a01:8000::,2a02:100::,2a03::2")]
    public void Contains_NetworksAtTheEdgesOfTheSpace(string networks, string inside, string outside)
    {
        CidrSet set = CidrSet.Build([.. networks.Split(',').Select(Cidr.Parse)]);
        foreach (string address in inside.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.True(set.Contains(Encoding.ASCII.GetBytes(address)), $"{address} is in {networks}");
            Assert.True(set.ContainsAddress(IPAddress.Parse(address).GetAddressBytes()), $"{address} is in {networks}");
        }

        foreach (string address in outside.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.False(set.Contains(Encoding.ASCII.GetBytes(address)), $"{address} is not in {networks}");
            Assert.False(set.ContainsAddress(IPAddress.Parse(address).GetAddressBytes()), $"{address} is not in {networks}");
        }
    }

    private static Cidr Network(int version, UInt128 value, int prefix)
    {
        int bits = version == 4 ? 32 : 128;
        UInt128 all = version == 4 ? uint.MaxValue : UInt128.MaxValue;
        UInt128 mask = prefix == 0 ? UInt128.Zero : all & (all << (bits - prefix));
        return Cidr.Parse($"{new IPAddress(Bytes(version, value & mask))}/{prefix}");
    }

    // The reference: sort, merge overlapping and adjacent networks, then binary-search the whole list.
    private static List<(UInt128 First, UInt128 Last)> MergedRanges(List<Cidr> networks)
    {
        var merged = new List<(UInt128 First, UInt128 Last)>();
        foreach (Cidr n in networks.OrderBy(n => n.First))
        {
            if (merged.Count > 0 && (merged[^1].Last == UInt128.MaxValue || n.First <= merged[^1].Last + 1))
            {
                merged[^1] = (merged[^1].First, UInt128.Max(merged[^1].Last, n.Last));
            }
            else
            {
                merged.Add((n.First, n.Last));
            }
        }

        return merged;
    }

    private static bool InReference(List<(UInt128 First, UInt128 Last)> ranges, UInt128 value)
    {
        int lo = 0, hi = ranges.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (ranges[mid].First <= value)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found >= 0 && value <= ranges[found].Last;
    }

    private static Cidr RandomNetwork(Random random, int version, bool clustered)
    {
        int bits = version == 4 ? 32 : 128;
        int prefix = clustered ? random.Next(bits - 12, bits + 1) : random.Next(0, bits + 1);
        UInt128 value = RandomValue(random, version);
        if (clustered)
        {
            // Near one another, so that networks overlap and touch.
            value = version == 4 ? 0x0A000000u | (uint)random.Next(0, 1 << 16) : ((UInt128)0x20010DB8 << 96) | (uint)random.Next(0, 1 << 16);
        }

        UInt128 all = version == 4 ? uint.MaxValue : UInt128.MaxValue;
        UInt128 mask = prefix == 0 ? UInt128.Zero : all & (all << (bits - prefix));
        byte[] network = Bytes(version, value & mask);
        return Cidr.Parse($"{new IPAddress(network)}/{prefix}");
    }

    private static UInt128 RandomValue(Random random, int version)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        UInt128 value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return version == 4 ? value & uint.MaxValue : value;
    }

    private static byte[] Bytes(int version, UInt128 value)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return version == 4 ? bytes[12..] : bytes;
    }
}
