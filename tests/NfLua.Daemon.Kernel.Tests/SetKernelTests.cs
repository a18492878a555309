using System.Net;
using System.Net.Sockets;
using static NfLua.Daemon.Kernel.Tests.KernelEnvironment;

namespace NfLua.Daemon.Kernel.Tests;

/// <summary>A rule with a cidr set and parameters on real loopback traffic; the set replaced with nflua-ctl set load under traffic.</summary>
public sealed class SetKernelTests : IDisposable
{
    private const int Port = 16043;
    private static readonly string[] s_rule = ["OUTPUT", "-o", "lo", "-p", "udp", "--dport", "16043", "-j", "NFQUEUE", "--queue-num", "43"];

    private const string Script = """
        local blocked = nflua.set("blocked")
        local port = nflua.params.port
        function filter(pkt)
          local udp = nflua.transport(pkt)
          if udp and udp.dst_port == port and blocked:contains(pkt, "dst") then return false end
          return true
        end
        """;

    public SetKernelTests() => Require();

    public void Dispose() => Run("iptables", ["-w", "-D", .. s_rule]);

    [Fact]
    public void VerdictsFollowTheSet_ReplacedUnderTraffic_WithEveryPacketJudged()
    {
        Assert.True(File.Exists(NfluaCtl), $"{NfluaCtl} is missing: build the solution in Release first");
        Iptables(["-A", .. s_rule]);
        using var daemon = DaemonProcess.Start(
            "set { \"blocked\", kind = \"cidr\", file = \"blocked.txt\" }\nqueue { 43 }",
            new Dictionary<string, string> { ["blocked.txt"] = "127.0.0.2/32\n", ["rule.lua"] = Script, ["swapped.txt"] = "# now the other one\n127.0.0.3\n" });
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(15)), daemon.StdErr);
        string socket = daemon.SocketPath;
        var load = Run(NfluaCtl, "--socket", socket, "load", "blocklist", Path.Combine(daemon.Directory, "rule.lua"), "--queue", "43", "--param", $"port={Port}");
        Assert.True(load.ExitCode == 0, load.StdErr);

        using var two = new Receiver("127.0.0.2");
        using var three = new Receiver("127.0.0.3");
        using var sender = new UdpClient();

        // Before: 127.0.0.2 is blocked, 127.0.0.3 is not.
        Send(sender, "before", 20);
        Assert.Equal((0, 20), (two.Count("before"), three.Count("before")));

        // Under traffic: a sender that never pauses while the set is replaced.
        bool sending = true;
        int sentDuring = 0;
        var background = new Thread(() =>
        {
            while (Volatile.Read(ref sending))
            {
                Send(sender, "during", 1);
                sentDuring++;
                Thread.Sleep(1);
            }
        });
        background.Start();
        Thread.Sleep(200);
        var malformed = Run(NfluaCtl, "--socket", socket, "set", "load", "blocked", WriteFile(daemon, "bad.txt", "127.0.0.3\n127.0.0.300\n"));
        var swapped = Run(NfluaCtl, "--socket", socket, "set", "load", "blocked", Path.Combine(daemon.Directory, "swapped.txt"));
        Thread.Sleep(200);
        Volatile.Write(ref sending, false);
        background.Join();

        Assert.Equal(1, malformed.ExitCode);
        Assert.Contains("bad.txt:2: '127.0.0.300' is not a network", malformed.StdErr, StringComparison.Ordinal);
        Assert.True(swapped.ExitCode == 0, swapped.StdErr);

        // After: the other way round; every datagram of the swap went one way or the other, none left in the queue.
        Send(sender, "after", 20);
        Assert.Equal((20, 0), (two.Count("after"), three.Count("after")));
        Assert.True(sentDuring > 0);
        Assert.True(two.Count("during") + three.Count("during") <= 2 * sentDuring);
        Assert.True(three.Count("during") > 0, "the old set judged nothing during the swap");
        Assert.Equal(0, Waiting(43));
        var list = Run(NfluaCtl, "--socket", socket, "set", "list");
        Assert.Contains("nflua-ctl", list.StdOut, StringComparison.Ordinal);
        var stats = Run(NfluaCtl, "--socket", socket, "stats", "--json");
        Assert.DoesNotContain("\"errors\": 1", stats.StdOut, StringComparison.Ordinal);
    }

    private static string WriteFile(DaemonProcess daemon, string name, string text)
    {
        string path = Path.Combine(daemon.Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Sends <paramref name="count"/> datagrams tagged <paramref name="tag"/> to each of 127.0.0.2 and 127.0.0.3, then lets them land.</summary>
    private static void Send(UdpClient sender, string tag, int count)
    {
        byte[] payload = System.Text.Encoding.ASCII.GetBytes(tag);
        for (int i = 0; i < count; i++)
        {
            sender.Send(payload, payload.Length, new IPEndPoint(IPAddress.Parse("127.0.0.2"), Port));
            sender.Send(payload, payload.Length, new IPEndPoint(IPAddress.Parse("127.0.0.3"), Port));
        }

        if (count > 1)
        {
            Thread.Sleep(500);
        }
    }

    /// <summary>Counts the datagrams one loopback address receives, by their text.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly UdpClient _client;
        private readonly Thread _reader;
        private readonly Dictionary<string, int> _counts = [];
        private volatile bool _open = true;

        public Receiver(string address)
        {
            _client = new UdpClient(new IPEndPoint(IPAddress.Parse(address), Port));
            _client.Client.ReceiveTimeout = 200;
            _reader = new Thread(() =>
            {
                while (_open)
                {
                    try
                    {
                        IPEndPoint? from = null;
                        string text = System.Text.Encoding.ASCII.GetString(_client.Receive(ref from));
                        lock (_counts)
                        {
                            _counts[text] = _counts.GetValueOrDefault(text) + 1;
                        }
                    }
                    catch (SocketException)
                    {
                    }
                }
            });
            _reader.Start();
        }

        public int Count(string tag)
        {
            lock (_counts)
            {
                return _counts.GetValueOrDefault(tag);
            }
        }

        public void Dispose()
        {
            _open = false;
            _reader.Join();
            _client.Dispose();
        }
    }
}
