using System.Buffers.Binary;
using System.Diagnostics;
using NfLua.Engine;
using NfLua.Scripting;

namespace NfLua.Bench;

/// <summary>
/// Many rules per queue (issue 18, item 3): the cost per packet of a rule set of 1, 10 and 100 rules of which one
/// applies to the traffic, the others declaring (nflua.interest) TCP ports the traffic never uses, against the same
/// 100 rules without a declaration (each called). Packets: 64-byte UDP datagrams to port 5004.
/// </summary>
internal static class RuleCountBenchmark
{
    private const string Applies = "nflua.interest{ protocol = 17, dst_port = 5004 }\nfunction filter(pkt) return true end";

    public static void Run(int packets)
    {
        byte[] packet = Udp();
        Console.WriteLine($"Rules per queue: one applies, the others declare TCP ports; {packets:N0} packets per measurement, median of 5");
        Console.WriteLine($"{"case",-50} {"ns/packet",10} {"vs 1 rule",10}");
        double one = 0;
        _ = Measure(packet, 10, declared: true, packets); // a first pass for tiered compilation, not reported (it made the first case 2x slower)
        foreach ((string name, int count, bool declared) in new[] { ("1 rule", 1, true), ("10 rules, 1 applies", 10, true), ("100 rules, 1 applies", 100, true), ("100 rules, none declares (each called)", 100, false) })
        {
            double ns = Measure(packet, count, declared, packets);
            one = count == 1 ? ns : one;
            Console.WriteLine($"{name,-50} {ns,10:F1} {ns / one,9:F2}x");
        }
    }

    private static double Measure(byte[] packet, int count, bool declared, int packets)
    {
        var rules = new List<LuaRule>();
        var limits = new RuleLimits { MaxCallTime = TimeSpan.FromSeconds(10) };
        for (int i = 0; i < count - 1; i++)
        {
            string script = declared
                ? $"nflua.interest{{ protocol = 6, dst_port = {1000 + i} }}\nfunction filter(pkt) return true end"
                : "function filter(pkt) return true end";
            rules.Add(LuaRule.Compile($"other-{i}", script, "other.lua", limits));
        }

        rules.Add(LuaRule.Compile("applies", Applies, "applies.lua", limits));
        try
        {
            RuleSet set = RuleSet.Of(rules);
            long now = 1;
            void One()
            {
                if (set.Evaluate(packet, now++).Kind != DecisionKind.Accept)
                {
                    throw new InvalidOperationException("not accepted");
                }
            }

            int n = Math.Max(1, packets / Math.Max(1, declared ? 1 : count / 10));
            WarmUp.Run(One, Math.Min(n, 200_000));
            var runs = new List<double>();
            for (int run = 0; run < 5; run++)
            {
                long started = Stopwatch.GetTimestamp();
                for (int i = 0; i < n; i++)
                {
                    One();
                }

                runs.Add(Stopwatch.GetElapsedTime(started).TotalNanoseconds / n);
            }

            return runs.Order().ElementAt(2);
        }
        finally
        {
            foreach (LuaRule rule in rules)
            {
                rule.Dispose();
            }
        }
    }

    /// <summary>An IPv4 UDP datagram, 10.0.0.1:40000 to 10.0.0.2:5004, 64 bytes in all.</summary>
    private static byte[] Udp()
    {
        var packet = new byte[64];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 64);
        packet[8] = 64;
        packet[9] = 17;
        packet[12] = 10;
        packet[15] = 1;
        packet[16] = 10;
        packet[19] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), 40000);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), 5004);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(24), 44);
        return packet;
    }
}
