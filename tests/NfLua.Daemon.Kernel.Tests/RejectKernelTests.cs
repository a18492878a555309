using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NfLua.Control;
using static NfLua.Daemon.Kernel.Tests.KernelEnvironment;

namespace NfLua.Daemon.Kernel.Tests;

/// <summary>
/// <c>return "reject"</c> on the kernel: the packet goes back with the queue's reject_mark and a REJECT rule before the
/// NFQUEUE rule answers, so the client learns at once (ECONNREFUSED, ECONNRESET) instead of waiting; a chain without the
/// REJECT rule gets the packet dropped, never looped.
/// </summary>
public sealed class RejectKernelTests : IDisposable
{
    private const string Mark = "0x4e460001";

    private const string Rejecter = """
        function filter(pkt)
          local t, protocol = nflua.transport(pkt)
          if t == nil then return true end
          if protocol == 17 and t.dst_port == 16072 then return "reject" end
          if protocol == 6 and t.dst_port == 16071 and t.syn == 1 then return "reject" end
          if protocol == 6 and t.dst_port == 16073 then
            local p = nflua.payload(pkt)
            if p ~= nil and #p > 0 and tostring(p):find("blocked", 1, true) then return "reject" end
          end
          return true
        end
        """;

    private readonly List<string[]> _rules = [];

    public RejectKernelTests() => Require();

    public void Dispose()
    {
        foreach (string[] rule in Enumerable.Reverse(_rules))
        {
            Run("iptables", ["-w", "-D", .. rule]);
        }
    }

    [Fact]
    public async Task Reject_AnswersTheSenderAtOnce_ConnectionRefused_PortUnreachable_Reset()
    {
        Add(["OUTPUT", "-o", "lo", "-p", "tcp", "-m", "mark", "--mark", Mark, "-j", "REJECT", "--reject-with", "tcp-reset"]);
        Add(["OUTPUT", "-o", "lo", "-m", "mark", "--mark", Mark, "-j", "REJECT"]);
        Add(["OUTPUT", "-o", "lo", "-p", "tcp", "--dport", "16071:16073", "-j", "NFQUEUE", "--queue-num", "71"]);
        Add(["OUTPUT", "-o", "lo", "-p", "udp", "--dport", "16072", "-j", "NFQUEUE", "--queue-num", "71"]);
        using var daemon = DaemonProcess.Start(
            $"queue {{ 71, reject_mark = {Mark}, rule {{ \"rejecter\", script = \"reject.lua\" }} }}",
            new Dictionary<string, string> { ["reject.lua"] = Rejecter });
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(15)), daemon.StdErr);

        // A SYN rejected: connect fails at once, though a server listens.
        using (var listener = new TcpListener(IPAddress.Loopback, 16071))
        {
            listener.Start();
            var watch = Stopwatch.StartNew();
            var refused = Assert.Throws<SocketException>(() => new TcpClient().Connect(IPAddress.Loopback, 16071));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"refused after {watch.Elapsed}");
        }

        // A datagram rejected: ICMP port unreachable, which a connected UDP socket reports as refused.
        using (var server = new UdpClient(new IPEndPoint(IPAddress.Loopback, 16072)))
        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            client.Connect(IPAddress.Loopback, 16072);
            client.ReceiveTimeout = 1000;
            client.Send([1, 2, 3]);
            var unreachable = Assert.Throws<SocketException>(() => client.Receive(new byte[16]));
            Assert.Equal(SocketError.ConnectionRefused, unreachable.SocketErrorCode);
            Assert.Equal(0, server.Available);
        }

        // Data rejected on an established connection: the client is reset at once.
        using (var listener = new TcpListener(IPAddress.Loopback, 16073))
        {
            listener.Start();
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, 16073);
            using TcpClient accepted = listener.AcceptTcpClient();
            client.ReceiveTimeout = 2000;
            var watch = Stopwatch.StartNew();
            client.GetStream().Write("GET blocked\r\n"u8);
            var reset = Assert.Throws<IOException>(() => client.GetStream().Read(new byte[16]));
            Assert.Equal(SocketError.ConnectionReset, Assert.IsType<SocketException>(reset.InnerException).SocketErrorCode);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"reset after {watch.Elapsed}");
        }

        var stats = (StatsResult)(await daemon.ControlAsync(new StatsRequest())).Result!;
        Assert.Equal(3, stats.Rules.Single(r => r.Name == "rejecter").Dropped);
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task RejectWithoutTheRejectRule_IsDropped_NeverLooped()
    {
        Add(["OUTPUT", "-o", "lo", "-p", "tcp", "--dport", "16071", "-j", "NFQUEUE", "--queue-num", "72"]);
        using var daemon = DaemonProcess.Start(
            $"queue {{ 72, reject_mark = {Mark}, rule {{ \"rejecter\", script = \"reject.lua\" }} }}",
            new Dictionary<string, string> { ["reject.lua"] = Rejecter });
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(15)), daemon.StdErr);

        using var listener = new TcpListener(IPAddress.Loopback, 16071);
        listener.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Task connect = client.ConnectAsync(IPAddress.Loopback, 16071, TestContext.Current.CancellationToken).AsTask();
        Task first = await Task.WhenAny(connect, Task.Delay(1500, TestContext.Current.CancellationToken));
        Assert.NotSame(connect, first); // neither connected nor refused: the SYN was dropped

        // Each SYN (and retransmission) was judged once and came back once with the mark: two packets each, no loop.
        var stats = (StatsResult)(await daemon.ControlAsync(new StatsRequest())).Result!;
        QueueStats queue = stats.Queues.Single(q => q.Queue == 72);
        Assert.InRange(queue.Packets, 2, 12);
        Assert.Equal(queue.Packets, queue.Dropped);
        Assert.Contains("came back to the queue", daemon.StdErr, StringComparison.Ordinal);
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }

    private void Add(string[] rule)
    {
        Iptables(["-A", .. rule]);
        _rules.Add(rule);
    }
}
