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
            ("rule set, SNI rule per packet (before issue 17)", PerPacketSni),
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

    /// <summary>examples/tls-sni-blocklist.lua as it was before issue 17: one packet at a time, no reassembly.</summary>
    private const string PerPacketSni = """
        -- tls-sni-blocklist.lua: drop TLS connections to blocked server names, read from the ClientHello.
        --
        -- A TLS client names the server it wants in the server_name extension (SNI, RFC 6066) of its first
        -- message, the ClientHello, in clear text. This rule parses the TLS record and the ClientHello at the
        -- start of a TCP payload (any port: the record is recognised by its bytes, not by 443) and drops the
        -- packet when the host name is on BLOCKED:
        --   "ads.example"     exactly that name;
        --   "*.ads.example"   every name under ads.example (www.ads.example, a.b.ads.example), not ads.example
        --                     itself: list both to block both.
        -- Names compare case-insensitively, a trailing dot ignored.
        -- Everything else passes: other TCP payloads, TLS records that are not a ClientHello, a ClientHello
        -- without a host name, and anything malformed (a length that overruns what holds it, a vector of the
        -- wrong size, a name longer than 255 bytes). The rule never guesses, and never fails on odd input:
        -- every read goes through data segments, which are nil where the bytes are not there.
        --
        -- Queue the clients' packets to the servers (both families):
        --   iptables  -A FORWARD -p tcp --dport 443 -j NFQUEUE --queue-num 0 --queue-bypass
        --   ip6tables -A FORWARD -p tcp --dport 443 -j NFQUEUE --queue-num 0 --queue-bypass
        -- (on the client itself: -A OUTPUT). To spare nfluad the rest of each connection, let the rule mark
        -- the flows it passed and use packaging/iptables/offload-connmark.rules (see offload-mark.lua).
        -- Try it offline:
        --   nflua-ctl test examples/tls-sni-blocklist.lua examples/captures/tls-sni-blocklist.pcap
        --   tcpdump -i eth0 -w tls.pcap 'tcp port 443'; nflua-ctl test examples/tls-sni-blocklist.lua tls.pcap
        --
        -- Limits:
        -- - One packet at a time, no reassembly. A ClientHello split across TCP segments (large hellos, such
        --   as those with post-quantum key shares, exceed one segment) or across TLS records is judged on the
        --   part in this packet: the rule reads up to the end of what it has, so a name in the first segment
        --   is found, but a server_name extension in a later segment is not seen and the hello passes.
        -- - A dropped ClientHello is retransmitted by the client and dropped again until the client gives up:
        --   the connection hangs rather than being refused (NFQUEUE cannot send a reset).
        -- - Encrypted ClientHello (ECH) hides the real name behind a public one; QUIC (HTTP/3, UDP 443)
        --   encrypts its ClientHello: block UDP 443 too if clients must fall back to TCP.

        local BLOCKED = {
          "blocked.example",
          "*.ads.example",
          "Tracker.Example.NET",
        }

        -- Exact names and "*." suffixes, in lower case, looked up by key.
        local exact, under = {}, {}
        for _, entry in ipairs(BLOCKED) do
          entry = entry:lower()
          if entry:sub(1, 2) == "*." then under[entry:sub(3)] = true else exact[entry] = true end
        end

        local function blocked(name)
          if exact[name] then return true end
          local from = 1
          for _ = 1, 128 do                          -- a 255-byte name has at most 127 dots
            local dot = name:find(".", from, true)
            if dot == nil then return false end
            if under[name:sub(dot + 1)] then return true end
            from = dot + 1
          end
          return false
        end

        -- TLS record header (RFC 8446 5.1) and handshake header (4.): a ClientHello is handshake type 1.
        local RECORD = data.layout{ content_type = {0, 8}, major = {8, 8}, length = {24, 16} }
        local HANDSHAKE = data.layout{ msg_type = {0, 8}, length = {8, 24} }
        local EXTENSION = data.layout{ type = {0, 16}, length = {16, 16} }
        local SERVER_NAME = data.layout{ name_type = {0, 8}, length = {8, 16} }
        local U8 = data.layout{ value = {0, 8} }
        local U16 = data.layout{ value = {0, 16} }
        local HANDSHAKE_TYPE, CLIENT_HELLO, SERVER_NAME_EXT, HOST_NAME = 22, 1, 0, 0
        local MAX_EXTENSIONS, MAX_NAMES = 64, 8

        -- A vector with a `size`-byte length prefix at `offset` of d: its body and the offset after it, or
        -- nil when the prefix or the body is not all inside d. With `clip`, a body cut by d's end is
        -- shortened to what d holds (d is a message that continues in a later record or segment).
        local function vector(d, offset, size, clip)
          local prefix = d:segment(offset, size)
          if prefix == nil then return nil end
          local length = prefix:layout(size == 1 and U8 or U16).value
          local start = offset + size
          if clip and start + length > #d then length = #d - start end
          local body = d:segment(start, length)
          if body == nil then return nil end
          return body, start + length
        end

        -- The host name of a server_name extension's body, or nil (RFC 6066 3: a list of typed names).
        local function host_name(body)
          local list, after = vector(body, 0, 2)
          if list == nil or after ~= #body then return nil end
          local at = 0
          for _ = 1, MAX_NAMES do
            local entry = list:segment(at, 3)
            if entry == nil then return nil end
            entry:layout(SERVER_NAME)
            local name = list:segment(at + 3, entry.length)
            if name == nil then return nil end
            if entry.name_type == HOST_NAME then
              if #name == 0 or #name > 255 then return nil end
              return (tostring(name):lower():gsub("%.$", ""))
            end
            at = at + 3 + entry.length
          end
          return nil
        end

        -- The SNI host name of a ClientHello at the start of payload, or nil.
        local function client_hello_name(payload)
          payload:layout(RECORD)
          if payload.content_type ~= HANDSHAKE_TYPE or payload.major ~= 3 or payload.length == nil then return nil end
          -- The record, or its part in this packet when it continues in the next segment.
          local fragment = payload:segment(5, math.min(payload.length, #payload - 5))
          fragment:layout(HANDSHAKE)
          if fragment.msg_type ~= CLIENT_HELLO or fragment.length == nil then return nil end
          -- The hello, or its part in this record when it continues in the next record or segment.
          local cut = fragment.length > #fragment - 4
          local hello = fragment:segment(4, cut and #fragment - 4 or fragment.length)

          -- legacy_version (2) and random (32), then session id, cipher suites, compression methods.
          local session, at = vector(hello, 34, 1)
          if session == nil or #session > 32 then return nil end
          local suites
          suites, at = vector(hello, at, 2)
          if suites == nil or #suites < 2 or #suites % 2 ~= 0 then return nil end
          local methods
          methods, at = vector(hello, at, 1)
          if methods == nil or #methods < 1 then return nil end
          local extensions
          extensions, at = vector(hello, at, 2, cut)
          if extensions == nil or (not cut and at ~= #hello) then return nil end

          -- Walk every extension: the name counts only when the whole list is well formed (up to the end
          -- of this packet when the hello is cut).
          local name
          at = 0
          for _ = 1, MAX_EXTENSIONS do
            if at == #extensions then return name end
            local header = extensions:segment(at, 4)
            if header == nil then return cut and name or nil end
            header:layout(EXTENSION)
            local body = extensions:segment(at + 4, header.length)
            if body == nil then return cut and name or nil end
            if header.type == SERVER_NAME_EXT then
              if name ~= nil then return nil end      -- twice the same extension (RFC 8446 4.2)
              name = host_name(body)
              if name == nil then return nil end
            end
            at = at + 4 + header.length
          end
          return nil
        end

        function filter(pkt)
          local _, protocol = nflua.transport(pkt)
          if protocol ~= 6 then return true end
          local payload = nflua.payload(pkt)
          if payload == nil or #payload < 9 then return true end   -- a record header and a handshake header
          local name = client_hello_name(payload)
          if name ~= nil and blocked(name) then return false end
          return true
        end
        """;
}
