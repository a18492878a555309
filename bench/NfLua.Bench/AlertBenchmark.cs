using System.Diagnostics;
using NfLua.Engine;
using NfLua.Scripting;
using NfLua.Scripting.Messages;

namespace NfLua.Bench;

/// <summary>
/// What a suppressed <c>nflua.alert</c> costs the worker: the same rule with and without an alert on each drop, judged
/// as a queue's worker judges (a rule set, messages published with the verdict), run alternately in one invocation
/// (A, B, A, B, ...) so both see the same machine. The rule's limit is spent in the warm-up: every measured alert is
/// refused, as in a flood.
/// </summary>
internal static class AlertBenchmark
{
    private const string Body = """
        local ip = data.layout{ ihl = {4, 4}, protocol = {72, 8} }
        local tcp = data.layout{ data_offset = {96, 4} }
        function filter(pkt)
          pkt:layout(ip)
          if pkt.protocol ~= 6 then return true end
          local seg = pkt:segment(pkt.ihl * 4):layout(tcp)
          local payload = seg:segment(seg.data_offset * 4)
          if payload == nil then return true end
          if tostring(payload):find("^SSH%-%d%.%d%-OpenSSH_6%.4") then
            ALERT
            return false
          end
          return true
        end
        """;

    public static void Run(int calls)
    {
        byte[] packet = FilterBenchmark.SshPacket("SSH-2.0-OpenSSH_6.4\r\n");
        var hub = new RuleMessageHub(new RuleMessageSettings(Rate: 20, Burst: 100));
        var environment = new RuleEnvironment { Messages = hub };
        var limits = new RuleLimits { MaxCallTime = TimeSpan.FromSeconds(10) };
        (string Name, string Script)[] cases =
        [
            ("ssh banner rule, drop without alert (A)", Body.Replace("ALERT", "", StringComparison.Ordinal)),
            ("ssh banner rule, drop with nflua.alert, suppressed (B)", Body.Replace("ALERT", "nflua.alert(\"OpenSSH 6.4\", { port = 22 })", StringComparison.Ordinal)),
            ("ssh banner rule, drop without alert (A)", Body.Replace("ALERT", "", StringComparison.Ordinal)),
            ("ssh banner rule, if nflua.alerting() then alert (B)", Body.Replace("ALERT", "if nflua.alerting() then nflua.alert(\"OpenSSH 6.4\", { port = 22 }) end", StringComparison.Ordinal)),
            ("trivial rule: return false (A)", "function filter(pkt) return false end"),
            ("trivial rule: alert, return false, suppressed (B)", "function filter(pkt) nflua.alert(\"x\") return false end"),
        ];
        RuleSet[] sets = [.. cases.Select(c => RuleSet.Of([LuaRule.Compile("bench", c.Script, "bench.lua", limits, environment: environment)]))];
        long now = 1000; // one instant: the burst is spent in the warm-up, then every alert is refused
        foreach (RuleSet set in sets)
        {
            WarmUp.Run(() => set.Evaluate(packet, now), Math.Min(calls, 200_000));
        }

        hub.Drain(_ => { });
        var runs = sets.Select(_ => new List<(double Ns, double Bytes)>()).ToArray();
        for (int round = 0; round < 5; round++)
        {
            for (int s = 0; s < sets.Length; s++)
            {
                RuleSet set = sets[s];
                long allocated = GC.GetAllocatedBytesForCurrentThread();
                long started = Stopwatch.GetTimestamp();
                for (int i = 0; i < calls; i++)
                {
                    if (set.Evaluate(packet, now).Kind != DecisionKind.Drop)
                    {
                        throw new InvalidOperationException($"{cases[s].Name}: not dropped");
                    }
                }

                double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                runs[s].Add((seconds * 1e9 / calls, (double)(GC.GetAllocatedBytesForCurrentThread() - allocated) / calls));
            }
        }

        Console.WriteLine($"Suppressed alerts, same invocation, A/B alternated, median of 5 runs of {calls:N0} packets each");
        Console.WriteLine($"{"case",-58} {"ns/packet",10} {"managed B/packet",17} {"B/A",7}");
        for (int s = 0; s < sets.Length; s++)
        {
            double median = runs[s].Select(r => r.Ns).Order().ElementAt(2);
            double bytes = runs[s].Select(r => r.Bytes).Max();
            string ratio = s % 2 == 1 ? $"{median / runs[s - 1].Select(r => r.Ns).Order().ElementAt(2):F3}" : "";
            Console.WriteLine($"{cases[s].Name,-58} {median,10:F1} {bytes,17:F3} {ratio,7}");
        }

        // Every measured alert was refused, and counted: the burst went through in the warm-up, the rest are suppressed.
        long suppressed = sets.Sum(set => set.Rules[0].Messages.Counters.AlertsSuppressed);
        Console.WriteLine($"alerts let through: {sets.Sum(set => set.Rules[0].Messages.Counters.Alerts)} (the burst), suppressed: {suppressed:N0}");
        foreach (RuleSet set in sets)
        {
            set.Rules[0].Dispose();
        }
    }
}
