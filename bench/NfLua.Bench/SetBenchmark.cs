using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using NfLua.Packets.Sets;
using NfLua.Scripting;

namespace NfLua.Bench;

/// <summary>
/// Named sets at the issue 14 scale: a 1,000,000-network cidr set (IPv4 and IPv6) and a 1,000,000-name domain set,
/// written to files, loaded as the daemon loads them (<see cref="SetBuilder.AddFile"/>), then asked from Lua:
/// <c>set:contains(text)</c> and <c>set:contains(pkt, "src")</c>. Each lookup case runs 100 lookups per
/// <c>filter</c> call over 4096 probes (half inside the set, half not, spread over the whole set so caches do not
/// flatter it), against a reference in the same run: the same loop reading a Lua table (<c>t[x]</c>).
/// Targets: at most 300 ns per lookup, load under 2 s. Rows in parentheses break the time down: the lookups from C#
/// alone, and the same Lua loop with calls that do no lookup (a Lua call, a C call, a host call, an empty set).
/// </summary>
internal static class SetBenchmark
{
    public const int Entries = 1_000_000;
    private const int Probes = 4096;
    private const int LookupsPerCall = 100;

    public static void Run(int calls)
    {
        string dir = Directory.CreateTempSubdirectory("nflua-bench-sets-").FullName;
        try
        {
            var random = new Random(14);
            string cidrFile = Path.Combine(dir, "nets.txt"), domainFile = Path.Combine(dir, "names.txt");
            List<(byte[] Network, int Prefix)> networks = WriteNetworks(cidrFile, random);
            List<string> names = WriteNames(domainFile, random);

            Console.WriteLine();
            Console.WriteLine($"Sets of {Entries:N0} entries (bench/NfLua.Bench/SetBenchmark.cs): load from a file, median of 3");
            Console.WriteLine($"{"set (load: wall and CPU ms)",-50} {"wall ms",8} {"CPU ms",8} {"file MiB",9} {"entries",10} {"set MiB",8} {"heap MiB",9}");
            IMatchSet nets = Load("cidr, 70% IPv4 /20-/32, 30% IPv6 /32-/128", "nets", SetKind.Cidr, cidrFile);
            IMatchSet domains = Load("domain, 2-4 labels", "names", SetKind.Domain, domainFile);

            var environment = new RuleEnvironment
            {
                Sets = new Dictionary<string, NamedSet> { ["nets"] = new("nets", nets), ["names"] = new("names", domains) },
            };
            List<string> addressProbes = AddressProbes(networks, random);
            List<string> nameProbes = NameProbes(names, random);
            int perRun = Math.Max(calls / LookupsPerCall, 1000);
            Console.WriteLine();
            Console.WriteLine($"Lookups from Lua: {perRun * LookupsPerCall:N0} per run ({LookupsPerCall} per filter call, {Probes} probes, half inside), median of 5");
            Console.WriteLine($"{"case",-50} {"ns/lookup",10} {"CPU ns",8} {"vs Lua table",13} {"inside",7}");
            double inNets = Share(nets, addressProbes), inNames = Share(domains, nameProbes);
            double reference = Lookups("reference: Lua table t[x] (4096 strings)", environment, ProbeTable(addressProbes), "t[p[i]]", perRun, null, 50);
            Lookups("cidr set :contains(address text)", environment, ProbeTable(addressProbes), "nets:contains(p[i])", perRun, reference, inNets);
            Lookups("cidr set :contains(pkt, \"src\")", environment, PacketTable(addressProbes), "nets:contains(p[i], \"src\")", perRun, reference, inNets);
            Lookups("domain set :contains(name)", environment, ProbeTable(nameProbes), "names:contains(p[i])", perRun, reference, inNames);
            Direct("(the same cidr lookups from C#, no Lua)", nets, addressProbes, perRun * LookupsPerCall, reference);
            Direct("(the same domain lookups from C#, no Lua)", domains, nameProbes, perRun * LookupsPerCall, reference);

            // Where a lookup's time goes besides the set: the same loop with calls that do no lookup.
            var empty = environment with { Sets = new Dictionary<string, NamedSet> { ["nets"] = new("nets", CidrSet.Empty), ["names"] = new("names", domains) } };
            Lookups("(a Lua function call f(x), no host code)", environment, ProbeTable(addressProbes), "f(p[i])", perRun, reference, 0);
            Lookups("(a C function call type(x), no host code)", environment, ProbeTable(addressProbes), "type(p[i])", perRun, reference, 0);
            Lookups("(#set: a host call, no lookup)", environment, ProbeTable(addressProbes), "#nets", perRun, reference, 0);
            Lookups("(empty cidr set :contains(address text))", empty, ProbeTable(addressProbes), "nets:contains(p[i])", perRun, reference, 0);
            Lookups("(empty cidr set :contains(pkt, \"src\"))", empty, PacketTable(addressProbes), "nets:contains(p[i], \"src\")", perRun, reference, 0);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static IMatchSet Load(string label, string name, SetKind kind, string file)
    {
        // The heap the set keeps (everything else the load made is garbage by then), measured on the first load.
        long before = GC.GetTotalMemory(forceFullCollection: true);
        (IMatchSet set, double wall, double cpu) = LoadOnce(name, kind, file);
        long heap = GC.GetTotalMemory(forceFullCollection: true) - before;
        var walls = new List<double> { wall };
        var cpus = new List<double> { cpu };
        for (int run = 1; run < 3; run++)
        {
            (_, wall, cpu) = LoadOnce(name, kind, file);
            walls.Add(wall);
            cpus.Add(cpu);
        }

        walls.Sort();
        cpus.Sort();
        Console.WriteLine($"{label,-50} {walls[1],8:F0} {cpus[1],8:F0} {new FileInfo(file).Length / 1048576.0,9:F1} {set.Count,10:N0} {set.MemoryBytes / 1048576.0,8:F1} {heap / 1048576.0,9:F1}");
        return set;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (IMatchSet Set, double WallMs, double CpuMs) LoadOnce(string name, SetKind kind, string file)
    {
        TimeSpan cpu = CpuTime();
        long started = Stopwatch.GetTimestamp();
        var builder = new SetBuilder(name, kind, long.MaxValue);
        builder.AddFile(file, Path.GetFileName(file));
        IMatchSet set = builder.Build() ?? throw new InvalidOperationException(string.Join("; ", builder.Errors));
        return (set, Stopwatch.GetElapsedTime(started).TotalMilliseconds, (CpuTime() - cpu).TotalMilliseconds);
    }

    /// <summary>The process's user + system time (all threads: the GC's too): on a shared machine it counts the work, not the waiting.</summary>
    private static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>One case: <c>filter</c> runs <paramref name="lookup"/> 100 times over the probes <c>p</c>; returns ns per lookup.</summary>
    private static double Lookups(string name, RuleEnvironment environment, string probeTable, string lookup, int calls, double? reference, double inside)
    {
        string script = $$"""
            local nets, names = nflua.set("nets"), nflua.set("names")
            local p = {{probeTable}}
            local t = {}
            for k = 1, #p, 2 do t[p[k]] = true end
            local n, i, inside = #p, 0, 0
            local function f(x) return x end
            function filter(pkt)
              for _ = 1, {{LookupsPerCall}} do
                i = i % n + 1
                if {{lookup}} then inside = inside + 1 end
              end
              return true
            end
            """;
        var limits = new RuleLimits { MaxCallTime = TimeSpan.FromSeconds(10), MaxMemoryBytes = 64 << 20, MaxCompileTime = TimeSpan.FromSeconds(30) };
        using LuaRule rule = LuaRule.Compile(name, script, "sets.lua", limits, environment: environment);
        byte[] packet = new byte[28];
        packet[0] = 0x45;
        WarmUp.Run(() => Check(rule.Filter(packet), name), 20_000);

        var runs = new List<double>();
        var cpus = new List<double>();
        for (int run = 0; run < 5; run++)
        {
            TimeSpan cpu = CpuTime();
            long started = Stopwatch.GetTimestamp();
            for (int c = 0; c < calls; c++)
            {
                Check(rule.Filter(packet), name);
            }

            double lookups = (double)calls * LookupsPerCall;
            runs.Add(Stopwatch.GetElapsedTime(started).TotalSeconds * 1e9 / lookups);
            cpus.Add((CpuTime() - cpu).TotalSeconds * 1e9 / lookups);
        }

        runs.Sort();
        cpus.Sort();
        double median = runs[2];
        string ratio = reference is { } r ? $"{median / r,12:F2}x" : $"{"1.00x",13}";
        Console.WriteLine($"{name,-50} {median,10:F1} {cpus[2],8:F1} {ratio} {inside,6:F0}%");
        return median;
    }

    /// <summary>The set's own cost: <see cref="IMatchSet.Contains"/> on the probes' UTF-8 bytes, from C#.</summary>
    private static void Direct(string name, IMatchSet set, List<string> probes, int lookups, double reference)
    {
        byte[][] bytes = [.. probes.Select(Encoding.ASCII.GetBytes)];
        int inside = 0, i = 0;
        WarmUp.Run(() => inside += set.Contains(bytes[i++ & (Probes - 1)]) ? 1 : 0, 100_000);
        var runs = new List<double>();
        var cpus = new List<double>();
        for (int run = 0; run < 5; run++)
        {
            TimeSpan cpu = CpuTime();
            long started = Stopwatch.GetTimestamp();
            for (int n = 0; n < lookups; n++)
            {
                inside += set.Contains(bytes[n & (Probes - 1)]) ? 1 : 0;
            }

            runs.Add(Stopwatch.GetElapsedTime(started).TotalSeconds * 1e9 / lookups);
            cpus.Add((CpuTime() - cpu).TotalSeconds * 1e9 / lookups);
        }

        runs.Sort();
        cpus.Sort();
        Console.WriteLine($"{name,-50} {runs[2],10:F1} {cpus[2],8:F1} {runs[2] / reference,12:F2}x {(inside > 0 ? "" : "none"),7}");
    }

    private static double Share(IMatchSet set, List<string> probes) =>
        probes.Count(p => set.Contains(Encoding.ASCII.GetBytes(p))) * 100.0 / probes.Count;

    private static void Check(FilterResult result, string name)
    {
        if (result.Failure != RuleFailure.None)
        {
            throw new InvalidOperationException($"{name}: {result.Error}");
        }
    }

    // As blocklists are: 70% IPv4 (60% of them /32, 25% /24, the rest /20-/31), 30% IPv6 (50% /48, 30% /64, the rest
    // /32-/128), at random: they overlap now and then, and a random address is seldom inside.
    private static List<(byte[] Network, int Prefix)> WriteNetworks(string path, Random random)
    {
        var networks = new List<(byte[], int)>(Entries);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        for (int i = 0; i < Entries; i++)
        {
            bool v4 = i % 10 < 7;
            var address = new byte[v4 ? 4 : 16];
            random.NextBytes(address);
            if (!v4)
            {
                address[0] = 0x20; // global unicast, as blocklists hold
            }

            int share = random.Next(100);
            int prefix = v4
                ? share < 60 ? 32 : share < 85 ? 24 : random.Next(20, 32)
                : share < 50 ? 48 : share < 80 ? 64 : random.Next(32, 129);
            Mask(address, prefix);
            networks.Add((address, prefix));
            writer.Write(new IPAddress(address).ToString());
            writer.Write('/');
            writer.WriteLine(prefix.ToString(CultureInfo.InvariantCulture));
        }

        return networks;
    }

    private static List<string> WriteNames(string path, Random random)
    {
        string[] tlds = ["com", "net", "org", "ru", "de", "io", "cn", "info", "xyz", "co.uk"];
        var names = new List<string>(Entries);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        while (names.Count < Entries)
        {
            var name = new StringBuilder();
            int labels = random.Next(1, 4);
            for (int l = 0; l < labels; l++)
            {
                int length = random.Next(3, 16);
                for (int c = 0; c < length; c++)
                {
                    name.Append("abcdefghijklmnopqrstuvwxyz0123456789-"[random.Next(c == 0 || c == length - 1 ? 36 : 37)]);
                }

                name.Append('.');
            }

            name.Append(tlds[random.Next(tlds.Length)]);
            string text = name.ToString();
            if (seen.Add(text))
            {
                names.Add(text);
                writer.WriteLine(text);
            }
        }

        return names;
    }

    // Half: an address inside a random network of the set; half: a random address of the same family.
    private static List<string> AddressProbes(List<(byte[] Network, int Prefix)> networks, Random random)
    {
        var probes = new List<string>(Probes);
        for (int i = 0; i < Probes; i++)
        {
            (byte[] network, int prefix) = networks[random.Next(networks.Count)];
            var address = new byte[network.Length];
            random.NextBytes(address);
            if (network.Length == 16)
            {
                address[0] = 0x20;
            }

            if (i % 2 == 0)
            {
                for (int bit = 0; bit < prefix; bit++)
                {
                    int mask = 0x80 >> (bit % 8);
                    address[bit / 8] = (byte)((address[bit / 8] & ~mask) | (network[bit / 8] & mask));
                }
            }

            probes.Add(new IPAddress(address).ToString());
        }

        return probes;
    }

    // Half: a name of the set, or one under it, in mixed case or with a trailing dot; half: names not in it.
    private static List<string> NameProbes(List<string> names, Random random)
    {
        var probes = new List<string>(Probes);
        for (int i = 0; i < Probes; i++)
        {
            string name = names[random.Next(names.Count)];
            probes.Add((i % 8) switch
            {
                0 => name,
                2 => "www." + name,
                4 => name.ToUpperInvariant() + ".",
                6 => "a.b." + name,
                _ => "x" + name,   // a different first label: not in the set (unless by chance)
            });
        }

        return probes;
    }

    private static string ProbeTable(List<string> probes) => "{ " + string.Join(", ", probes.Select(p => "\"" + p + "\"")) + " }";

    // Each probe as a packet: an IPv4 or IPv6 header with the probe as its source address, made in the main chunk.
    private static string PacketTable(List<string> probes)
    {
        var text = new StringBuilder("{ ");
        foreach (string probe in probes)
        {
            byte[] address = IPAddress.Parse(probe).GetAddressBytes();
            var header = new byte[address.Length == 4 ? 20 : 40];
            header[0] = address.Length == 4 ? (byte)0x45 : (byte)0x60;
            address.CopyTo(header, address.Length == 4 ? 12 : 8);
            text.Append("data.new(\"");
            foreach (byte b in header)
            {
                text.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
            }

            text.Append("\"), ");
        }

        return text.Append('}').ToString();
    }

    private static void Mask(byte[] address, int prefix)
    {
        for (int bit = prefix; bit < address.Length * 8; bit++)
        {
            address[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }
    }
}
