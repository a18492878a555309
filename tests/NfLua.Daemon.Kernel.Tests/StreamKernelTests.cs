using System.Net;
using System.Net.Sockets;
using System.Text;
using NfLua.Control;
using static NfLua.Daemon.Kernel.Tests.KernelEnvironment;

namespace NfLua.Daemon.Kernel.Tests;

/// <summary>
/// TCP streams on real connections (docs/streams.md): a client that writes its request one byte at a time with
/// TCP_NODELAY is stopped all the same; a request for an allowed host completes. Both directions of the port are
/// queued at OUTPUT only (every loopback packet passes OUTPUT, then INPUT), so the rule sees the handshake, the
/// data and the server's acknowledgements once each.
/// </summary>
public sealed class StreamKernelTests : IDisposable
{
    private const int Port = 16070;

    private const string HostRule = """
        nflua.want_stream()
        function filter(pkt)
          local s = nflua.stream(pkt)
          if s and tostring(s):find("Host: blocked.example", 1, true) then
            nflua.flow_verdict(pkt, "drop")
            return false
          end
          return true
        end
        """;

    private readonly List<string[]> _rules = [];

    public StreamKernelTests() => Require();

    public void Dispose()
    {
        foreach (string[] rule in _rules)
        {
            Run("iptables", ["-w", "-D", .. rule]);
        }
    }

    [Fact]
    public async Task RequestWrittenOneByteAtATime_ForABlockedHost_NeverReachesTheServer_AnAllowedOneCompletes()
    {
        QueuePort(70);
        using var daemon = DaemonProcess.Start(
            "queue { 70, rule { \"host\", script = \"host.lua\" } }",
            new Dictionary<string, string> { ["host.lua"] = HostRule });
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(15)), daemon.StdErr);

        Exchange blocked = Exchange.Run("GET / HTTP/1.1\r\nHost: blocked.example\r\nAccept: */*\r\n\r\n", TimeSpan.FromSeconds(3));
        Exchange allowed = Exchange.Run("GET / HTTP/1.1\r\nHost: allowed.example\r\nAccept: */*\r\n\r\n", TimeSpan.FromSeconds(3));

        Assert.Null(blocked.Response);
        Assert.DoesNotContain("blocked.example", blocked.ServerRead, StringComparison.Ordinal);
        Assert.Equal("HTTP/1.1 200 OK\r\n\r\n", allowed.Response);
        Assert.Contains("Host: allowed.example", allowed.ServerRead, StringComparison.Ordinal);

        // The segments the rule saw: the request came in pieces, and the retransmissions were dropped without a call.
        var stats = (StatsResult)(await daemon.ControlAsync(new StatsRequest())).Result!;
        RuleStats host = stats.Rules.Single(r => r.Name == "host");
        Assert.True(host.Dropped >= 1, $"drops: {host.Dropped}");
        Assert.True(host.Calls >= 20, $"the requests came in {host.Calls} packets in all: not cut small enough to test anything");
        Assert.True(stats.Queues.Single(q => q.Queue == 70).Dropped > host.Dropped, "no retransmission was dropped by the sticky verdict");
        Assert.Equal(stats.Queues.Single(q => q.Queue == 70).Dropped - host.Dropped, host.StickyVerdicts);
        Assert.True(host.StreamFlows >= 1 && host.StreamBytes > 0, $"{host.StreamFlows} flows, {host.StreamBytes} bytes");
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }

    private void QueuePort(ushort queue)
    {
        string number = queue.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (string direction in new[] { "--dport", "--sport" })
        {
            string[] rule = ["OUTPUT", "-o", "lo", "-p", "tcp", direction, port, "-j", "NFQUEUE", "--queue-num", number];
            Iptables(["-A", .. rule]);
            _rules.Add(rule);
        }
    }

    /// <summary>One connection: the client writes the request a byte at a time (TCP_NODELAY), the server answers once it has the whole head.</summary>
    private sealed record Exchange(string? Response, string ServerRead)
    {
        public static Exchange Run(string request, TimeSpan wait)
        {
            using var listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            var read = new StringBuilder();
            var server = new Thread(() =>
            {
                try
                {
                    using TcpClient accepted = listener.AcceptTcpClient();
                    accepted.ReceiveTimeout = (int)wait.TotalMilliseconds;
                    NetworkStream stream = accepted.GetStream();
                    byte[] buffer = new byte[512];
                    while (!read.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        int n = stream.Read(buffer);
                        if (n == 0)
                        {
                            return;
                        }

                        lock (read)
                        {
                            read.Append(Encoding.ASCII.GetString(buffer, 0, n));
                        }
                    }

                    stream.Write("HTTP/1.1 200 OK\r\n\r\n"u8);
                    Thread.Sleep(500);
                }
                catch (IOException)
                {
                }
                catch (SocketException)
                {
                }
            }) { IsBackground = true };
            server.Start();

            string? response = null;
            using (var client = new TcpClient())
            {
                client.NoDelay = true;
                client.Connect(IPAddress.Loopback, Port);
                client.ReceiveTimeout = (int)wait.TotalMilliseconds;
                NetworkStream stream = client.GetStream();
                foreach (byte b in Encoding.ASCII.GetBytes(request))
                {
                    stream.Write([b]);
                    Thread.Sleep(2);
                }

                try
                {
                    byte[] buffer = new byte[256];
                    int n = stream.Read(buffer);
                    response = n == 0 ? null : Encoding.ASCII.GetString(buffer, 0, n);
                }
                catch (IOException)
                {
                    response = null;
                }
            }

            server.Join(wait + TimeSpan.FromSeconds(2));
            listener.Stop();
            lock (read)
            {
                return new Exchange(response, read.ToString());
            }
        }
    }
}
