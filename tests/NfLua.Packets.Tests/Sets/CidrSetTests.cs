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
