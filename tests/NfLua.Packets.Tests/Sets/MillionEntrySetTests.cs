using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using NfLua.Packets.Sets;

namespace NfLua.Packets.Tests.Sets;

/// <summary>
/// Sets at the issue 14 scale (1,000,000 entries), loaded through <see cref="SetBuilder"/> as from a file, answer as
/// a reference implementation of another design does: networks by one hash set per prefix length (the longest-prefix
/// tables a hand-written rule would keep), names by a hash set of lowercase names and a walk over the probe's
/// suffixes. Probes: every boundary of a sample of the networks (first - 1, first, last, last + 1) and random
/// addresses; names in other cases, with trailing dots, under entries, beside them and above them.
/// </summary>
public sealed class MillionEntrySetTests
{
    private const int Entries = 1_000_000;

    [Fact]
    public void MillionNetworks_IPv4AndIPv6_OverlappingAndNested_MatchThePerPrefixReference()
    {
        var random = new Random(1_000_014);
        var builder = new SetBuilder("nets", SetKind.Cidr, long.MaxValue);
        var networks = new List<Cidr>(Entries);
        for (int i = 0; i < Entries; i++)
        {
            Cidr network = RandomNetwork(random, i % 3 == 0 ? 6 : 4, i % 4 == 0);
            networks.Add(network);
            Assert.True(builder.Add(Encoding.ASCII.GetBytes(network.ToString()), $"line {i + 1}"), string.Join("; ", builder.Errors));
        }

        var set = (CidrSet)builder.Build()!;
        Assert.Equal(Entries, set.Count);
        var reference = new PerPrefixReference(networks);

        var probes = new List<byte[]>();
        for (int i = 0; i < 50_000; i++)
        {
            Cidr network = networks[random.Next(networks.Count)];
            UInt128 top = network.Version == 4 ? uint.MaxValue : UInt128.MaxValue;
            probes.Add(Bytes(network.Version, network.First));
            probes.Add(Bytes(network.Version, network.Last));
            if (network.First > 0)
            {
                probes.Add(Bytes(network.Version, network.First - 1));
            }

            if (network.Last < top)
            {
                probes.Add(Bytes(network.Version, network.Last + 1));
            }

            probes.Add(Bytes(i % 2 == 0 ? 4 : 6, RandomValue(random, i % 2 == 0 ? 4 : 6, clustered: i % 4 < 2)));
        }

        int inside = 0;
        for (int i = 0; i < probes.Count; i++)
        {
            byte[] address = probes[i];
            bool expected = reference.Contains(address);
            inside += expected ? 1 : 0;
            if (expected != set.ContainsAddress(address))
            {
                Assert.Fail($"{new IPAddress(address)}: the reference says {expected}");
            }

            if (i % 10 == 0 && expected != set.Contains(Encoding.ASCII.GetBytes(new IPAddress(address).ToString())))
            {
                Assert.Fail($"{new IPAddress(address)} as text: the reference says {expected}");
            }
        }

        // Both answers are well represented (not a test that passes by saying false everywhere).
        Assert.InRange(inside, probes.Count / 5, probes.Count * 4 / 5);
    }

    [Fact]
    public void MillionNames_WithCaseAndTrailingDots_MatchTheSuffixReference()
    {
        var random = new Random(2_000_014);
        var builder = new SetBuilder("names", SetKind.Domain, long.MaxValue);
        var reference = new HashSet<string>(StringComparer.Ordinal);
        var names = new List<string>(Entries);
        while (names.Count < Entries)
        {
            // A small alphabet and short labels: names nest under one another (one in 20 of the one-label names is taken).
            string name = RandomName(random);
            if (!reference.Add(name))
            {
                continue;
            }

            names.Add(name);
            string written = (names.Count % 5) switch
            {
                0 => name.ToUpperInvariant(),
                1 => name + ".",
                2 => MixedCase(random, name) + ".",
                _ => name,
            };
            Assert.True(builder.Add(Encoding.ASCII.GetBytes(written), $"line {names.Count}"), string.Join("; ", builder.Errors));
        }

        var set = (DomainSet)builder.Build()!;
        Assert.Equal(Entries, set.Count);

        var probes = new List<string>();
        for (int i = 0; i < 40_000; i++)
        {
            string name = names[random.Next(names.Count)];
            probes.Add(MixedCase(random, name));
            probes.Add(name.ToUpperInvariant() + ".");
            probes.Add("www." + name);
            probes.Add(MixedCase(random, "a.b." + name) + ".");
            probes.Add("x" + name);
            probes.Add(name[(name.IndexOf('.', StringComparison.Ordinal) + 1)..]);
            probes.Add(RandomName(random));
        }

        probes.AddRange(["", ".", "..", "com", "com.", "a..b", new string('a', 254)]);
        int inside = 0;
        foreach (string probe in probes)
        {
            bool expected = Expected(reference, probe);
            inside += expected ? 1 : 0;
            if (expected != set.Contains(Encoding.ASCII.GetBytes(probe)))
            {
                Assert.Fail($"'{probe}': the reference says {expected}");
            }
        }

        // Four of the seven kinds of probe are inside by construction; of the others, some are.
        Assert.InRange(inside, probes.Count * 4 / 7, probes.Count * 9 / 10);
    }

    /// <summary>Longest-prefix match as one hash set of masked networks per prefix length.</summary>
    private sealed class PerPrefixReference
    {
        private readonly Dictionary<int, HashSet<UInt128>>[] _byLength = [new(), new()];

        public PerPrefixReference(List<Cidr> networks)
        {
            foreach (Cidr network in networks)
            {
                Dictionary<int, HashSet<UInt128>> lengths = _byLength[network.Version == 4 ? 0 : 1];
                if (!lengths.TryGetValue(network.PrefixLength, out HashSet<UInt128>? values))
                {
                    lengths[network.PrefixLength] = values = [];
                }

                values.Add(network.First);
            }
        }

        public bool Contains(byte[] address)
        {
            bool v4 = address.Length == 4;
            UInt128 value = v4 ? BinaryPrimitives.ReadUInt32BigEndian(address) : BinaryPrimitives.ReadUInt128BigEndian(address);
            int bits = v4 ? 32 : 128;
            foreach ((int length, HashSet<UInt128> values) in _byLength[v4 ? 0 : 1])
            {
                UInt128 all = v4 ? uint.MaxValue : UInt128.MaxValue;
                UInt128 mask = length == 0 ? UInt128.Zero : all & (all << (bits - length));
                if (values.Contains(value & mask))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private static bool Expected(HashSet<string> reference, string probe)
    {
        string name = probe.ToLowerInvariant();
        if (name.EndsWith('.'))
        {
            name = name[..^1];
        }

        if (name.Length == 0 || name.Length > DomainSet.MaxNameLength)
        {
            return false;
        }

        for (int start = 0; ; start = name.IndexOf('.', start) + 1)
        {
            if (reference.Contains(name[start..]))
            {
                return true;
            }

            if (name.IndexOf('.', start) < 0)
            {
                return false;
            }
        }
    }

    private static string RandomName(Random random)
    {
        string[] tlds = ["com", "net", "org", "io"];
        var name = new StringBuilder();
        int labels = random.Next(1, 4);
        for (int l = 0; l < labels; l++)
        {
            int length = random.Next(1, 7);
            for (int c = 0; c < length; c++)
            {
                name.Append("abcdefgh-_0"[random.Next(c == 0 ? 8 : 11)]);
            }

            name.Append('.');
        }

        return name.Append(tlds[random.Next(tlds.Length)]).ToString();
    }

    private static string MixedCase(Random random, string name) =>
        string.Create(name.Length, (name, random), static (span, state) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = state.random.Next(2) == 0 ? char.ToUpperInvariant(state.name[i]) : state.name[i];
            }
        });

    // Clustered networks fall near one another (10.x.x.x, 2001:db8::/96) so that they overlap, nest and touch;
    // the others anywhere (/0 is left to CidrSetTests: it would swallow the whole family here).
    private static Cidr RandomNetwork(Random random, int version, bool clustered)
    {
        int bits = version == 4 ? 32 : 128;
        int prefix = clustered
            ? random.Next(bits - 16, bits + 1)
            : random.Next(version == 4 ? 20 : 32, bits + 1);
        UInt128 value = RandomValue(random, version, clustered);
        UInt128 all = version == 4 ? uint.MaxValue : UInt128.MaxValue;
        UInt128 mask = prefix == 0 ? UInt128.Zero : all & (all << (bits - prefix));
        return Cidr.Parse(new IPAddress(Bytes(version, value & mask)) + "/" + prefix.ToString(CultureInfo.InvariantCulture));
    }

    private static UInt128 RandomValue(Random random, int version, bool clustered)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        UInt128 value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        if (clustered)
        {
            return version == 4 ? 0x0A000000u | (uint)(value & 0xFFFFFF) : ((UInt128)0x20010DB8 << 96) | (value & uint.MaxValue);
        }

        return version == 4 ? value & uint.MaxValue : value;
    }

    private static byte[] Bytes(int version, UInt128 value)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return version == 4 ? bytes[12..] : bytes;
    }
}
