using System.Diagnostics;
using NfLua.Engine;
using NfLua.Scripting;
using NfLua.Testing;

namespace NfLua.Bench;

/// <summary>
/// TCP streams (issue 17): the stream-based SNI rule (examples/tls-sni-blocklist.lua) against the per-packet one it
/// replaced, on the same realistic handshake mix, each packet through a rule set as a queue worker runs it (the stream
/// tracker before the call, the final verdict committing the bytes after it). Per connection: SYN, SYN/ACK, ACK, a
/// ~1.8 KB ClientHello in two segments, the server's ACK, three server data packets, client ACKs and a little
/// application data: 12 packets. 8192 connections (twice the rule's flow table) played in turn, on fresh tuples.
/// </summary>
internal static class StreamBenchmark
{
    private const int Connections = 8192;

    public static void Run(int packets)
    {
        string example = File.ReadAllText(Path.Combine(RepositoryRoot(), "examples", "tls-sni-blocklist.lua"));
        byte[][] mix = Mix(out int perConnection);
        Console.WriteLine($"TCP streams: {Connections:N0} TLS connections of {perConnection} packets (a {HelloLength:N0}-byte ClientHello in two segments), {packets:N0} packets per measurement, median of 5");
        Console.WriteLine($"{"case",-50} {"ns/packet",10} {"calls/packet",13} {"managed B/packet",17}");
        (string Name, string Script)[] cases =
        [
            ("rule set, trivial rule (no want_stream)", "function filter(pkt) return true end"),
            ("rule set, SNI rule per packet (before issue 17)", File.ReadAllText(Path.Combine(RepositoryRoot(), "bench", "refs", "sni-per-packet.lua"))),
            ("rule set, SNI rule on streams (the example)", example),
        ];
        var figures = new List<double>();
        foreach ((string name, string script) in cases)
        {
            (double ns, double calls, double bytes) = Measure(name, script, mix, packets);
            figures.Add(ns);
            Console.WriteLine($"{name,-50} {ns,10:F1} {calls,13:F3} {bytes,17:F3}");
        }

        Console.WriteLine($"{"stream rule / per-packet rule",-50} {figures[2] / figures[1],10:F2}");
    }

    private static (double Ns, double Calls, double Bytes) Measure(string name, string script, byte[][] mix, int packets)
    {
        using LuaRule rule = LuaRule.Compile(name, script, "bench.lua", new RuleLimits { MaxCallTime = TimeSpan.FromSeconds(10) });
        RuleSet set = RuleSet.Of([rule]);
        long now = 1;
        int next = 0;
        void One()
        {
            PacketDecision decision = set.Evaluate(mix[next], now++);
            if (decision.Kind != DecisionKind.Accept)
            {
                throw new InvalidOperationException($"{name}: packet {next} got {decision.Kind}");
            }

            next = next + 1 == mix.Length ? 0 : next + 1;
        }

        WarmUp.Run(One, Math.Min(packets, 200_000));
        var runs = new List<(double, double, double)>();
        for (int run = 0; run < 5; run++)
        {
            long calls = rule.Counters.Snapshot().Calls;
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            long started = Stopwatch.GetTimestamp();
            for (int i = 0; i < packets; i++)
            {
                One();
            }

            double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            runs.Add((seconds * 1e9 / packets, (double)(rule.Counters.Snapshot().Calls - calls) / packets, (double)(GC.GetAllocatedBytesForCurrentThread() - allocated) / packets));
        }

        if (rule.Counters.Snapshot().Failures != 0)
        {
            throw new InvalidOperationException($"{name}: the rule failed");
        }

        return runs.OrderBy(r => r.Item1).ElementAt(runs.Count / 2);
    }

    private static int HelloLength => ClientHello("www.example.org").Length;

    private static byte[][] Mix(out int perConnection)
    {
        var packets = new List<byte[]>();
        byte[] serverData = [22, 3, 3, 0x05, 0x73, 2, .. new byte[1394]];
        byte[] application = [23, 3, 3, 0, 75, .. new byte[75]];
        perConnection = 0;
        for (int c = 0; c < Connections; c++)
        {
            var tcp = new TcpConversation(ipv6: c % 4 == 3, clientIsn: (uint)(c * 7919), serverIsn: (uint)(c * 104729))
            {
                ClientHost = (byte)(1 + (c / 4096)),
                ClientPort = (ushort)(20000 + (c % 4096)),
            };
            byte[] hello = ClientHello($"www{c % 100}.example.org");
            int cut = 1400;
            byte[][] connection =
            [
                tcp.ClientSyn(), tcp.ServerSynAck(), tcp.ClientAck(),
                tcp.ClientData(0, hello[..cut]), tcp.ClientData(cut, hello[cut..]),
                tcp.ServerAckOf(hello.Length),
                tcp.ServerData(0, serverData, acked: hello.Length), tcp.ServerData(1400, serverData, acked: hello.Length),
                tcp.ClientAckOf(2800),
                tcp.ClientData(hello.Length, application),
                tcp.ServerData(2800, serverData[..500], acked: hello.Length + application.Length),
                tcp.ClientAckOf(3300),
            ];
            packets.AddRange(connection);
            perConnection = connection.Length;
        }

        return [.. packets];
    }

    /// <summary>A ClientHello record as a current browser sends it: SNI, ALPN, a hybrid post-quantum key share, padding; about 1.8 KB.</summary>
    private static byte[] ClientHello(string name)
    {
        static byte[] Extension(int type, byte[] body) => [(byte)(type >> 8), (byte)type, (byte)(body.Length >> 8), (byte)body.Length, .. body];
        byte[] host = System.Text.Encoding.ASCII.GetBytes(name);
        byte[] entry = [0, (byte)(host.Length >> 8), (byte)host.Length, .. host];
        byte[] share = [0x11, 0xEC, 0x04, 0xC0, .. new byte[1216]];
        byte[] extensions =
        [
            .. Extension(0, [(byte)(entry.Length >> 8), (byte)entry.Length, .. entry]),
            .. Extension(10, [0x00, 0x04, 0x11, 0xEC, 0x00, 0x1D]),
            .. Extension(13, [0x00, 0x04, 0x04, 0x03, 0x08, 0x04]),
            .. Extension(16, [0x00, 0x0C, 0x02, (byte)'h', (byte)'2', 0x08, .. "http/1.1"u8]),
            .. Extension(43, [0x02, 0x03, 0x04]),
            .. Extension(51, [(byte)(share.Length >> 8), (byte)share.Length, .. share]),
            .. Extension(21, new byte[400]),
        ];
        byte[] body = [0x03, 0x03, .. new byte[32], 32, .. new byte[32], 0x00, 0x04, 0x13, 0x01, 0x13, 0x02, 1, 0, (byte)(extensions.Length >> 8), (byte)extensions.Length, .. extensions];
        byte[] handshake = [1, 0, (byte)(body.Length >> 8), (byte)body.Length, .. body];
        return [22, 3, 1, (byte)(handshake.Length >> 8), (byte)handshake.Length, .. handshake];
    }

    private static string RepositoryRoot()
    {
        for (string? directory = AppContext.BaseDirectory; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "NfLua.sln")))
            {
                return directory;
            }
        }

        throw new InvalidOperationException("run from the source tree: examples/tls-sni-blocklist.lua is read from it");
    }
}
