using System.Text;
using NfLua.Packets.Capture;
using NfLua.Testing;

namespace NfLua.Cli.Tests;

/// <summary><c>nflua-ctl test</c> follows streams as nfluad does: a request cut in two is judged whole.</summary>
public sealed class StreamTestCommandTests
{
    [Fact]
    public async Task RequestCutInTwo_TheCompletingSegmentAndItsRetransmissionAreDropped()
    {
        using var directory = new TempDirectory();
        byte[] request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: blocked.example\r\n\r\n");
        var tcp = new TcpConversation();
        string capture = Captures.WritePcap(directory.File("split.pcap"), CaptureLinkType.Raw,
            tcp.ClientSyn(), tcp.ServerSynAck(), tcp.ClientAck(),
            tcp.ClientData(0, request[..24]), tcp.ClientData(24, request[24..]), tcp.ClientData(24, request[24..]));
        string rule = directory.File("block.lua");
        File.WriteAllText(rule, """
            nflua.want_stream()
            function filter(pkt)
              local s = nflua.stream(pkt)
              if s and tostring(s):find("blocked.example", 1, true) then
                nflua.flow_verdict(pkt, "drop")
                return false
              end
              return true
            end
            """);

        CliRun run = await CliRun.RunAsync("test", rule, capture);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        string[] lines = run.Output.Split('\n');
        for (int packet = 1; packet <= 4; packet++)
        {
            Assert.Matches($@"^\s*{packet}\s.*\spass", lines[packet]);
        }

        Assert.Matches(@"^\s*5\s.*\sdrop", lines[5]);
        Assert.Matches(@"^\s*6\s.*\sdrop", lines[6]);
    }

    [Fact]
    public async Task Interest_PacketsOutsideItPassWithoutACall()
    {
        using var directory = new TempDirectory();
        var tcp = new TcpConversation { ServerPort = 53 };
        string capture = Captures.WritePcap(directory.File("mixed.pcap"), CaptureLinkType.Raw,
            tcp.ClientSyn(), TestPackets.Udp("10.0.0.1", 40000, "10.0.0.2", 53, [1, 2, 3]));
        string rule = directory.File("udp53.lua");
        File.WriteAllText(rule, "nflua.interest{ protocol = 17, dst_port = 53 }\nfunction filter(pkt) return false end\n");

        CliRun run = await CliRun.RunAsync("test", rule, capture, "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var document = System.Text.Json.JsonDocument.Parse(run.Output);
        var verdicts = document.RootElement.GetProperty("packets").EnumerateArray().Select(p => p.GetProperty("verdict").GetString()).ToList();
        Assert.Equal(["pass", "drop"], verdicts);
    }
}
