using System.Text;
using NfLua.Engine;
using NfLua.Examples.Tests.Packets;

namespace NfLua.Examples.Tests.Streams;

/// <summary>tls-sni-blocklist.lua on followed connections: a ~1.8 KB ClientHello (a post-quantum key share, padding) naming a blocked host.</summary>
public sealed class TlsSniStreamTests : StreamEvasionMatrix
{
    private protected override string Example => "tls-sni-blocklist.lua";

    private protected override StreamMatrix Matrix { get; } = new(443, serverSends: false);

    private protected override byte[] Blocked { get; } = Hello("blocked.example").ToRecord();

    private protected override byte[] Allowed { get; } = Hello("allowed.example").ToRecord();

    /// <summary>A ClientHello as a current browser sends it: SNI third, a hybrid post-quantum key share, padding to about 1.8 KB.</summary>
    internal static TlsClientHello Hello(string name)
    {
        byte[][] typical = TlsClientHello.TypicalExtensions(TlsClientHello.ServerName(name));
        return new TlsClientHello { Extensions = [.. typical[..^1], TlsClientHello.KeyShare(1216 + 32), TlsClientHello.Extension(21, new byte[290])] };
    }

    [Fact]
    public void TheHello_IsRealisticallyLarge() => Assert.InRange(Blocked.Length, 1700, 1900);

    [Fact]
    public void HelloSplitOverTlsRecords_IsJoined_WhereverTheRecordsAreCut()
    {
        // tpws --tlsrec: one handshake message carried by two (or more) records.
        using var queue = new ExampleQueue(Example);
        foreach (bool ipv6 in new[] { false, true })
        {
            foreach (int cut in StreamMatrix.Cuts(Blocked.Length - 5).Append(30).Append(150))
            {
                byte[] blocked = Records(Blocked, cut), allowed = Records(Allowed, cut);
                StreamMatrix.Stopped($"records cut at {cut}", blocked, Matrix.Play(queue, ipv6, [new Send(0, blocked)]));
                StreamMatrix.Stopped($"records cut at {cut}, segments too", blocked, Matrix.Play(queue, ipv6, StreamMatrix.Pieces(blocked, 4)));
                StreamMatrix.Passed($"records cut at {cut}", allowed, Matrix.Play(queue, ipv6, StreamMatrix.Pieces(allowed, 4)));
            }

            byte[] tiny = TinyRecords(Blocked, 7);
            StreamMatrix.Stopped("7-byte records", tiny, Matrix.Play(queue, ipv6, StreamMatrix.Pieces(tiny, 10)));
            StreamMatrix.Passed("7-byte records", TinyRecords(Allowed, 7), Matrix.Play(queue, ipv6, StreamMatrix.Pieces(TinyRecords(Allowed, 7), 10)));
        }
    }

    [Fact]
    public void OtherNamesOnTheList_AndTrafficThatIsNotAHello()
    {
        using var queue = new ExampleQueue(Example);
        foreach (string name in new[] { "cdn.ads.example", "BLOCKED.Example.", "tracker.example.net" })
        {
            byte[] hello = Hello(name).ToRecord();
            StreamMatrix.Stopped(name, hello, Matrix.Play(queue, false, StreamMatrix.Pieces(hello, 3)));
        }

        foreach (string name in new[] { "ads.example", "badads.example", "www.blocked.example" })
        {
            byte[] hello = Hello(name).ToRecord();
            StreamMatrix.Passed(name, hello, Matrix.Play(queue, false, StreamMatrix.Pieces(hello, 3)));
        }

        byte[] http = HttpRequest.Get("blocked.example");
        StreamMatrix.Passed("plain HTTP", http, Matrix.Play(queue, false, StreamMatrix.Pieces(http, 3)));
        byte[] noName = new TlsClientHello { Extensions = TlsClientHello.TypicalExtensions(null) }.ToRecord();
        StreamMatrix.Passed("a hello without SNI", noName, Matrix.Play(queue, false, StreamMatrix.Pieces(noName, 3)));
    }

    [Fact]
    public void AHelloLongerThanTheDepth_IsDropped()
    {
        using var queue = new ExampleQueue(Example);
        byte[] huge = new TlsClientHello { Extensions = [TlsClientHello.Extension(21, new byte[15000]), TlsClientHello.Extension(21, new byte[2000]), TlsClientHello.ServerName("allowed.example")] }.ToRecord();
        StreamMatrix.Outcome outcome = Matrix.Play(queue, false, [.. Enumerable.Range(0, (huge.Length + 1399) / 1400).Select(i => new Send(i * 1400, huge[(i * 1400)..Math.Min(huge.Length, (i + 1) * 1400)]))]);
        Assert.Contains(outcome.Verdicts, v => v.Verdict == DecisionKind.Drop);
        Assert.Equal(DecisionKind.Drop, outcome.Later);
    }

    /// <summary>The record's handshake message re-cut into two records, the first holding <paramref name="cut"/> bytes of it.</summary>
    private static byte[] Records(byte[] record, int cut)
    {
        byte[] message = record[5..];
        return [.. Record(message[..cut]), .. Record(message[cut..])];
    }

    private static byte[] TinyRecords(byte[] record, int size)
    {
        byte[] message = record[5..];
        return [.. Enumerable.Range(0, (message.Length + size - 1) / size).SelectMany(i => Record(message[(i * size)..Math.Min(message.Length, (i + 1) * size)]))];
    }

    private static byte[] Record(byte[] fragment) => [22, 3, 1, (byte)(fragment.Length >> 8), (byte)fragment.Length, .. fragment];
}

/// <summary>http-host-filter.lua (deny mode, as shipped) on followed connections: a request head naming a blocked host.</summary>
public sealed class HttpHostStreamTests : StreamEvasionMatrix
{
    private protected override string Example => "http-host-filter.lua";

    private protected override StreamMatrix Matrix { get; } = new(80, serverSends: false);

    private protected override byte[] Blocked { get; } = HttpRequest.Get("blocked.example");

    private protected override byte[] Allowed { get; } = HttpRequest.Get("allowed.example");

    public static TheoryData<string, string> HeaderTricks => new()
    {
        { "hoSt: in mixed case", "GET / HTTP/1.1\r\nhoSt: blocked.example\r\n\r\n" },
        { "no space after the colon", "GET / HTTP/1.1\r\nHost:blocked.example\r\n\r\n" },
        { "spaces and a tab around the value", "GET / HTTP/1.1\r\nHost: \t blocked.example \t\r\n\r\n" },
        { "a trailing dot", "GET / HTTP/1.1\r\nHost: blocked.example.\r\n\r\n" },
        { "the name in mixed case", "GET / HTTP/1.1\r\nHost: BlOcKeD.ExAmPlE\r\n\r\n" },
        { "a port", "GET / HTTP/1.1\r\nHost: blocked.example:8080\r\n\r\n" },
        { "an absolute URI naming it", "GET http://blocked.example/ HTTP/1.1\r\nHost: allowed.example\r\n\r\n" },
        { "an absolute URI with user info and port", "GET HTTP://me@Blocked.Example:81/x HTTP/1.1\r\n\r\n" },
        { "a second Host header", "GET / HTTP/1.1\r\nHost: allowed.example\r\nHost: blocked.example\r\n\r\n" },
        { "a name under a *. entry", "GET / HTTP/1.1\r\nHost: cdn.ads.example\r\n\r\n" },
        { "bare LF line endings", "GET / HTTP/1.1\nHost: blocked.example\n\n" },
        { "empty lines before the request line", "\r\n\r\nGET / HTTP/1.1\r\nHost: blocked.example\r\n\r\n" },
        { "several spaces in the request line", "GET  /  HTTP/1.1\r\nHost: blocked.example\r\n\r\n" },
        { "a long head, Host last", "GET / HTTP/1.1\r\n" + string.Concat(Enumerable.Range(0, 60).Select(i => $"X-Pad-{i}: {new string('p', 100)}\r\n")) + "Host: blocked.example\r\n\r\n" },
    };

    [Theory]
    [MemberData(nameof(HeaderTricks))]
    public void HeaderTricks_AreStopped_HoweverSegmented(string trick, string head)
    {
        byte[] request = Encoding.ASCII.GetBytes(head);
        using var queue = new ExampleQueue(Example);
        foreach (bool ipv6 in new[] { false, true })
        {
            foreach ((string name, Send[] sends) in StreamMatrix.Segmentations(request, everyByte: request.Length < 200))
            {
                StreamMatrix.Stopped($"{trick}, {name}", request, Matrix.Play(queue, ipv6, sends));
            }
        }
    }

    [Fact]
    public void RequestsThatAreNotForABlockedHost_AndOtherTraffic_Pass()
    {
        using var queue = new ExampleQueue(Example);
        string[] heads =
        [
            "GET / HTTP/1.1\r\nHost: ads.example\r\n\r\n",
            "GET / HTTP/1.1\r\nX-Forwarded-Host: blocked.example\r\nHost: example.org\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: example.org\r\nContent-Length: 24\r\n\r\nHost: blocked.example\r\n\r\n",
            "HTTP/1.1 200 OK\r\nHost: blocked.example\r\n\r\n",
            "get / HTTP/1.1\r\nHost: blocked.example\r\n\r\n",
            "\u0016\u0003\u0001 not HTTP",
        ];
        foreach (string head in heads)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(head);
            StreamMatrix.Passed(head, bytes, Matrix.Play(queue, false, StreamMatrix.Pieces(bytes, 4)));
        }
    }

    [Fact]
    public void AllowMode_FollowsStreamsToo()
    {
        using var directory = new TempDirectory();
        string script = ExampleScript.WithSetting(directory, Example, "local MODE = \"deny\"", "local MODE = \"allow\"");
        using var queue = new ExampleQueue(Example, File.ReadAllText(script));
        byte[] intranet = HttpRequest.Get("wiki.intranet.example"), other = HttpRequest.Get("www.example.org"), none = HttpRequest.Head("GET / HTTP/1.0");
        foreach ((string name, Send[] sends) in StreamMatrix.Segmentations(intranet, everyByte: false))
        {
            StreamMatrix.Passed($"an allowed host, {name}", intranet, Matrix.Play(queue, false, sends));
        }

        foreach ((string name, Send[] sends) in StreamMatrix.Segmentations(other, everyByte: false))
        {
            StreamMatrix.Stopped($"a host not allowed, {name}", other, Matrix.Play(queue, false, sends));
        }

        StreamMatrix.Stopped("no Host", none, Matrix.Play(queue, false, StreamMatrix.Pieces(none, 3)));
    }
}

/// <summary>ssh-banner.lua on followed connections: the server's banner announcing a vulnerable OpenSSH.</summary>
public sealed class SshBannerStreamTests : StreamEvasionMatrix
{
    private protected override string Example => "ssh-banner.lua";

    private protected override StreamMatrix Matrix { get; } = new(22, serverSends: true);

    private protected override byte[] Blocked { get; } = "SSH-2.0-OpenSSH_6.4p1 Debian-5\r\n"u8.ToArray();

    private protected override byte[] Allowed { get; } = "SSH-2.0-OpenSSH_9.6p1 Debian-5\r\n"u8.ToArray();

    [Fact]
    public void LinesBeforeTheBanner_AreSkipped()
    {
        using var queue = new ExampleQueue(Example);
        byte[] blocked = [.. "Welcome\r\nno entry without permission\r\n"u8, .. Blocked];
        byte[] allowed = [.. "Welcome\r\n"u8, .. Allowed];
        foreach ((string name, Send[] sends) in StreamMatrix.Segmentations(blocked, everyByte: true))
        {
            StreamMatrix.Stopped(name, blocked, Matrix.Play(queue, false, sends));
        }

        foreach ((string name, Send[] sends) in StreamMatrix.Segmentations(allowed, everyByte: true))
        {
            StreamMatrix.Passed(name, allowed, Matrix.Play(queue, true, sends));
        }
    }

    [Fact]
    public void TheClientsBanner_IsNotTheServers()
    {
        // The client announces the vulnerable version: only the server's is judged, and the server's good one accepts.
        using var queue = new ExampleQueue(Example);
        Testing.TcpConversation tcp = queue.Conversation(false, 22);
        foreach (byte[] packet in new[] { tcp.ClientSyn(), tcp.ServerSynAck(), tcp.ClientAck(), tcp.ClientData(0, Blocked), tcp.ServerAckOf(Blocked.Length), tcp.ServerData(0, Allowed, acked: Blocked.Length), tcp.ClientAckOf(Allowed.Length) })
        {
            Assert.Equal(DecisionKind.Accept, queue.Judge(packet));
        }

        long calls = queue.Calls;
        Assert.Equal(DecisionKind.Accept, queue.Judge(tcp.ServerData(Allowed.Length, new byte[100], acked: Blocked.Length)));
        Assert.Equal(calls, queue.Calls);
    }
}
