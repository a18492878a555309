using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NfLua.Examples.Tests.Packets;
using NfLua.Testing;
using static NfLua.Examples.Tests.ExampleCase;

namespace NfLua.Examples.Tests;

/// <summary>
/// blocklist-sets.lua with its sets loaded by nflua-ctl test (--set NAME=KIND:FILE): the example's small lists of
/// examples/lists/, then lists made here at run time (100,000 networks and 1,000 domains; 10,000 networks for the
/// telnet task), whose expected verdicts come from a reference written here (a linear scan of every network, the name
/// and its parents against every domain).
/// </summary>
[ExampleTests(Script)]
public sealed class BlocklistSetsTests
{
    private const string Script = "blocklist-sets.lua";
    private const string Client = "192.0.2.33", Resolver = "192.0.2.53", Server = "192.0.2.23";

    private static string[] ExampleSets =>
    [
        "--set", "bad-nets=cidr:" + Repository.Example("lists/bad-nets.txt"),
        "--set", "bad-domains=domain:" + Repository.Example("lists/bad-domains.txt"),
    ];

    /// <summary>The capture of examples/captures/blocklist-sets.pcap, for the lists of examples/lists/.</summary>
    internal static IReadOnlyList<ExampleCase> Sample { get; } =
    [
        Drop("a telnet SYN from a listed /24", IpPacket.Syn("203.0.113.5", 40000, Server, 23)),
        Pass("a telnet SYN from elsewhere", IpPacket.Syn("198.51.100.5", 40001, Server, 23)),
        Drop("a connection to a listed /25", IpPacket.Syn(Client, 40002, "198.51.100.200", 443)),
        Pass("a connection to the other half of that /24", IpPacket.Syn(Client, 40003, "198.51.100.127", 443)),
        Drop("a datagram from a listed host", IpPacket.UdpDatagram("192.0.2.66", 5000, Client, 5000, "x"u8)),
        Pass("a datagram from the next host", IpPacket.UdpDatagram("192.0.2.67", 5000, Client, 5000, "x"u8)),
        Drop("IPv6 from a listed /48", IpPacket.Syn("2001:db8:bad::1", 40004, "2001:db8::23", 23)),
        Pass("IPv6 from beside it", IpPacket.Syn("2001:db8:bad0::1", 40005, "2001:db8::23", 23)),
        Drop("a query for a listed domain", Query("ads.example")),
        Drop("a query for a name under one, in random case", Query("wWw.AdS.eXaMpLe")),
        Drop("a query for a name under another", Query("cdn.tracker.example.net")),
        Pass("a query for a name that only ends like one", Query("bads.example")),
        Pass("a query for a listed domain's parent", Query("example.net")),
        Pass("the resolver's answer about a listed domain", IpPacket.UdpDatagram(Resolver, 53, Client, 40000, DnsMessage.Response("ads.example"))),
        Drop("a query for an unlisted name from a listed network", IpPacket.UdpDatagram("203.0.113.9", 40000, Resolver, 53, DnsMessage.Query("example.org"))),
    ];

    [Fact]
    public void TheExampleLists_BlockTheirNetworksAndNames() =>
        ExampleAssert.Verdicts(Repository.Example(Script), Sample, ExampleSets);

    [Fact]
    public void AHundredThousandNetworks_AndAThousandDomains_FromFilesMadeAtRunTime()
    {
        var random = new Random(1400);
        using var directory = new TempDirectory();
        List<Network> networks = RandomNetworks(random, 100_000);
        List<string> names = RandomDomains(random, 1_000);
        string nets = WriteList(directory.File("bad-nets.txt"), "100,000 networks", networks.Select(n => n.ToString()));
        string domains = WriteList(directory.File("bad-domains.txt"), "1,000 domains", names);
        Assert.Equal(100_000, File.ReadAllLines(nets).Count(l => !l.StartsWith('#')));
        Assert.Equal(1_000, File.ReadAllLines(domains).Count(l => !l.StartsWith('#')));
        var blockedNames = new HashSet<string>(names.Select(n => n.ToLowerInvariant()), StringComparer.Ordinal);

        List<ExampleCase> cases = [];

        // Addresses inside listed networks (the first and last of some), as source and as destination, and addresses
        // the reference finds in none; all on connections the domain list has nothing to say about.
        for (int i = 0; i < 40; i++)
        {
            Network network = networks[random.Next(networks.Count)];
            IPAddress inside = network.Address(i % 4 == 0 ? UInt128.Zero : i % 4 == 1 ? network.Size - 1 : RandomBelow(random, network.Size));
            IPAddress outside = Unlisted(random, networks, network.IsV6);
            string peer = network.IsV6 ? "2001:db8::23" : Server;
            cases.Add(Case($"from {inside} (in {network})", IpPacket.Syn(inside.ToString(), 40000, peer, 23), networks));
            cases.Add(Case($"to {inside} (in {network})", IpPacket.Syn(peer, 40000, inside.ToString(), 443), networks));
            cases.Add(Case($"from {outside} (in none)", IpPacket.Syn(outside.ToString(), 40000, peer, 23), networks));
        }

        // Queries for listed names, names under them (in random case), their parents and names that only end like them.
        for (int i = 0; i < 40; i++)
        {
            string name = names[random.Next(names.Count)];
            cases.Add(QueryCase(name, blockedNames));
            cases.Add(QueryCase(RandomCase(random, "www." + name), blockedNames));
            cases.Add(QueryCase(name[(name.IndexOf('.', StringComparison.Ordinal) + 1)..], blockedNames));
            cases.Add(QueryCase("x" + name, blockedNames));
        }

        Assert.Contains(cases, c => c.Verdict == "drop" && c.Name.StartsWith("from", StringComparison.Ordinal));
        Assert.Contains(cases, c => c.Verdict == "pass" && c.Name.StartsWith("from", StringComparison.Ordinal));
        Assert.Contains(cases, c => c.Verdict == "drop" && c.Name.StartsWith("query", StringComparison.Ordinal));
        Assert.Contains(cases, c => c.Verdict == "pass" && c.Name.StartsWith("query", StringComparison.Ordinal));
        ExampleAssert.Verdicts(Repository.Example(Script), cases, ["--set", "bad-nets=cidr:" + nets, "--set", "bad-domains=domain:" + domains]);
    }

    [Fact]
    public void TelnetSyns_FromATenThousandPrefixBlocklist_AreDropped()
    {
        // The operator's task: iptables queues only SYNs to port 23 (the example's header); the rule drops those from
        // the 10,000 listed IPv4 prefixes and passes the others.
        var random = new Random(23);
        using var directory = new TempDirectory();
        List<Network> networks = RandomNetworks(random, 10_000, ipv6: false);
        string nets = WriteList(directory.File("telnet-blocklist.txt"), "10,000 prefixes", networks.Select(n => n.ToString()));
        string domains = WriteList(directory.File("none.txt"), "no domains", []);

        List<ExampleCase> cases = [];
        for (int i = 0; i < 100; i++)
        {
            Network network = networks[random.Next(networks.Count)];
            string blocked = network.Address(RandomBelow(random, network.Size)).ToString();
            string other = Unlisted(random, networks, v6: false).ToString();
            cases.Add(Drop($"a telnet SYN from {blocked} (in {network})", IpPacket.Syn(blocked, (ushort)(30000 + i), Server, 23)));
            cases.Add(Pass($"a telnet SYN from {other} (in none)", IpPacket.Syn(other, (ushort)(30000 + i), Server, 23)));
        }

        Assert.All(cases, c => Assert.Equal(c.Verdict, Case(c.Name, c.Packet, networks).Verdict));
        ExampleAssert.Verdicts(Repository.Example(Script), cases, ["--set", "bad-nets=cidr:" + nets, "--set", "bad-domains=domain:" + domains]);
    }

    [Fact]
    public void OtherSetNames_ComeFromTheParameters_AndAnUnknownSetStopsTheRule()
    {
        string[] renamed =
        [
            "--set", "tor-exits=cidr:" + Repository.Example("lists/bad-nets.txt"),
            "--set", "ad-names=domain:" + Repository.Example("lists/bad-domains.txt"),
            "--param", "nets=tor-exits", "--param", "domains=ad-names",
        ];
        ExampleAssert.Verdicts(Repository.Example(Script), Sample, renamed);

        using var directory = new TempDirectory();
        string capture = NfluaCtl.WriteCapture(directory.File("sample.pcap"), Sample);
        ProcessResult missing = NfluaCtl.Run(Repository.Example(Script), capture, ExampleSets[..2]);
        Assert.Equal(4, missing.ExitCode);
        Assert.Contains("unknown set 'bad-domains'", missing.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedQueries_AreJudgedByTheirAddressesOnly()
    {
        ExampleAssert.Verdicts(Repository.Example(Script),
        [
            Pass("a compression pointer", Udp(DnsMessage.Message(1, DnsMessage.QueryFlags, 1, [3, .. "ads"u8, 0xC0, 0x0C, .. DnsMessage.TypeAndClass]))),
            Pass("a label running past the datagram", Udp(DnsMessage.Message(1, DnsMessage.QueryFlags, 1, [40, .. "ads"u8]))),
            Pass("no QTYPE and QCLASS", Udp(DnsMessage.Message(1, DnsMessage.QueryFlags, 1, DnsMessage.Name("ads.example")))),
            Pass("a header cut short", Udp([0x12, 0x34, 0x01])),
            Pass("more than 127 labels", Query(string.Join('.', Enumerable.Repeat("a", 130)) + ".ads.example")),
            Drop("a malformed query from a listed network", IpPacket.UdpDatagram("203.0.113.7", 40000, Resolver, 53, [0x12])),
        ], ExampleSets);
    }

    private static byte[] Query(string name) => Udp(DnsMessage.Query(name));

    private static byte[] Udp(byte[] message) => IpPacket.UdpDatagram(Client, 40000, Resolver, 53, message);

    private static ExampleCase QueryCase(string name, HashSet<string> blocked) =>
        new($"query for {name}", Query(name), IsBlockedName(name, blocked) ? "drop" : "pass");

    /// <summary>The reference for domain sets: the name, in lower case, or one of its parents is listed.</summary>
    private static bool IsBlockedName(string name, HashSet<string> blocked)
    {
        string lower = name.ToLowerInvariant();
        for (int at = 0; at >= 0; at = lower.IndexOf('.', at) is int dot and >= 0 ? dot + 1 : -1)
        {
            if (blocked.Contains(lower[at..]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A case for a packet (source at bytes 12/8, destination at 16/24) whose verdict the network reference gives.</summary>
    private static ExampleCase Case(string name, byte[] packet, List<Network> networks)
    {
        bool v6 = packet[0] >> 4 == 6;
        IPAddress source = new(packet.AsSpan(v6 ? 8 : 12, v6 ? 16 : 4)), destination = new(packet.AsSpan(v6 ? 24 : 16, v6 ? 16 : 4));
        var (from, to) = (Network.Key(source), Network.Key(destination));
        return new(name, packet, networks.Any(n => n.Contains(from) || n.Contains(to)) ? "drop" : "pass");
    }

    private static IPAddress Unlisted(Random random, List<Network> networks, bool v6)
    {
        while (true)
        {
            Network around = RandomNetwork(random, v6);
            IPAddress address = around.Address(RandomBelow(random, around.Size));
            var key = Network.Key(address);
            if (!networks.Any(n => n.Contains(key)))
            {
                return address;
            }
        }
    }

    /// <summary>
    /// <paramref name="count"/> networks (a tenth IPv6 unless <paramref name="ipv6"/> is false): IPv4 /16 to /32 with a
    /// first byte from 1 to 223 but never 192 (the cases' own hosts are in 192.0.2.0/24), IPv6 /32 to /128 in
    /// 2400::/6. Duplicates and overlaps are allowed, as in real lists.
    /// </summary>
    private static List<Network> RandomNetworks(Random random, int count, bool ipv6 = true) =>
        [.. Enumerable.Range(0, count).Select(i => RandomNetwork(random, ipv6 && i % 10 == 9))];

    private static Network RandomNetwork(Random random, bool v6)
    {
        if (v6)
        {
            byte[] bytes = new byte[16];
            random.NextBytes(bytes);
            bytes[0] = (byte)(0x24 + random.Next(4));
            return Network.Of(new IPAddress(bytes), random.Next(32, 129));
        }

        byte[] v4 = new byte[4];
        random.NextBytes(v4);
        do
        {
            v4[0] = (byte)random.Next(1, 224);
        }
        while (v4[0] == 192);

        return Network.Of(new IPAddress(v4), random.Next(16, 33));
    }

    /// <summary><paramref name="count"/> distinct names of two to four labels, in mixed case.</summary>
    private static List<string> RandomDomains(Random random, int count)
    {
        string[] tlds = ["example", "test", "invalid", "example.net"];
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (names.Count < count)
        {
            string label = Label(random);
            string name = random.Next(3) == 0 ? $"{Label(random)}.{label}.{tlds[random.Next(tlds.Length)]}" : $"{label}.{tlds[random.Next(tlds.Length)]}";
            names.Add(random.Next(5) == 0 ? name.ToUpperInvariant() : name);
        }

        return [.. names];
    }

    private static string Label(Random random) =>
        new([.. Enumerable.Range(0, random.Next(3, 12)).Select(i => "abcdefghijklmnopqrstuvwxyz0123456789-"[random.Next(i == 0 ? 26 : 37)])]);

    private static string RandomCase(Random random, string name) =>
        new([.. name.Select(c => random.Next(2) == 0 ? char.ToUpperInvariant(c) : c)]);

    private static UInt128 RandomBelow(Random random, UInt128 bound)
    {
        byte[] bytes = new byte[16];
        random.NextBytes(bytes);
        return BinaryPrimitives.ReadUInt128BigEndian(bytes) % bound;
    }

    private static string WriteList(string path, string what, IEnumerable<string> lines)
    {
        var text = new StringBuilder().Append("# ").Append(what).Append(", made by ").Append(nameof(BlocklistSetsTests)).Append('\n');
        foreach (string line in lines)
        {
            text.Append(line).Append('\n');
        }

        text.Append("# end\n");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>A network: its first address (host bits cleared, as an integer of 32 or 128 bits) and prefix length.</summary>
    private sealed record Network(UInt128 First, int Length, bool IsV6)
    {
        private int Bits => IsV6 ? 128 : 32;

        public UInt128 Size => UInt128.One << (Bits - Length);

        public static Network Of(IPAddress address, int length)
        {
            bool v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
            UInt128 hostMask = (UInt128.One << ((v6 ? 128 : 32) - length)) - 1;
            return new Network(Value(address) & ~hostMask, length, v6);
        }

        public bool Contains((UInt128 Value, bool IsV6) address) => address.IsV6 == IsV6 && (address.Value ^ First) >> (Bits - Length) == 0;

        public static (UInt128 Value, bool IsV6) Key(IPAddress address) => (Value(address), address.AddressFamily == AddressFamily.InterNetworkV6);

        public IPAddress Address(UInt128 offset)
        {
            byte[] bytes = new byte[16];
            BinaryPrimitives.WriteUInt128BigEndian(bytes, First + offset);
            return new IPAddress(IsV6 ? bytes : bytes[12..]);
        }

        public override string ToString() => Address(UInt128.Zero) + "/" + Length.ToString(CultureInfo.InvariantCulture);

        private static UInt128 Value(IPAddress address)
        {
            byte[] bytes = address.GetAddressBytes();
            return bytes.Length == 16 ? BinaryPrimitives.ReadUInt128BigEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes);
        }
    }
}
