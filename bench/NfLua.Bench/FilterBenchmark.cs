using System.Diagnostics;
using System.Text;
using NfLua.Scripting;

namespace NfLua.Bench;

internal readonly record struct BenchmarkResult(double NanosecondsPerCall, double AllocatedBytesPerCall);

/// <summary>One rule called on one packet, over and over: the cost of a <c>filter</c> call as the worker pays it.</summary>
internal sealed class FilterBenchmark(string name, string script, byte[] packet) : IDisposable
{
    // The daemon's budget; a wall-clock limit that a descheduled process cannot hit by accident (the
    // benchmark measures cost, and a late call would now fail).
    private readonly LuaRule _rule = LuaRule.Compile(name, script, name + ".lua", new RuleLimits { MaxCallTime = TimeSpan.FromSeconds(10) });

    public static IEnumerable<FilterBenchmark> All
    {
        get
        {
            byte[] tcp = SshPacket("SSH-2.0-OpenSSH_9.6\r\n");
            yield return new("call filter (trivial: return true)", "function filter(pkt) return true end", tcp);
            yield return new("call filter reading one layout field", """
                local l = data.layout{ version = {0, 4} }
                function filter(pkt) return pkt:layout(l).version == 4 end
                """, tcp);
            yield return new("call filter writing one layout field", """
                local l = data.layout{ ttl = {64, 8} }
                function filter(pkt) pkt:layout(l).ttl = 64 return true end
                """, tcp);
            yield return new("ssh banner rule (talk example)", """
                local ip = data.layout{ ihl = {4, 4}, protocol = {72, 8} }
                local tcp = data.layout{ data_offset = {96, 4} }
                function filter(pkt)
                  pkt:layout(ip)
                  if pkt.protocol ~= 6 then return true end
                  local seg = pkt:segment(pkt.ihl * 4):layout(tcp)
                  local payload = seg:segment(seg.data_offset * 4)
                  if payload == nil then return true end
                  return not tostring(payload):find("^SSH%-%d%.%d%-OpenSSH_6%.4")
                end
                """, tcp);
            yield return new("nflua.transport + flow state", """
                function filter(pkt)
                  local tcp = nflua.transport(pkt)
                  local f = nflua.flow(pkt)
                  f.n = (f.n or 0) + 1
                  return tcp.dst_port ~= 23
                end
                """, tcp);
        }
    }

    public string Name { get; } = name;

    public BenchmarkResult Run(int calls)
    {
        WarmUp.Run(() => _rule.Filter(packet), Math.Min(calls, 200_000)); // tiered JIT, Lua's caches

        var runs = new List<BenchmarkResult>();
        for (int run = 0; run < 5; run++)
        {
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            long started = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                FilterResult result = _rule.Filter(packet);
                if (result.Failure != RuleFailure.None)
                {
                    throw new InvalidOperationException($"{Name}: {result.Error}");
                }
            }

            double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            runs.Add(new BenchmarkResult(seconds * 1e9 / calls, (double)(GC.GetAllocatedBytesForCurrentThread() - allocated) / calls));
        }

        return runs.OrderBy(r => r.NanosecondsPerCall).ElementAt(runs.Count / 2);
    }

    public void Dispose() => _rule.Dispose();

    internal static byte[] SshPacket(string banner)
    {
        byte[] payload = Encoding.ASCII.GetBytes(banner);
        var packet = new byte[40 + payload.Length];
        packet[0] = 0x45;
        packet[2] = (byte)(packet.Length >> 8);
        packet[3] = (byte)packet.Length;
        packet[8] = 64;
        packet[9] = 6;
        packet[12] = 127; packet[15] = 1; packet[16] = 127; packet[19] = 1;
        packet[20] = 0; packet[21] = 22; packet[22] = 0x9c; packet[23] = 0x40;
        packet[32] = 5 << 4;
        payload.CopyTo(packet, 40);
        return packet;
    }
}
