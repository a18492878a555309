using System.Text.Json;
using NfLua.Packets.Capture;

namespace NfLua.Cli.Tests;

/// <summary>nflua-ctl test shows what a rule logs and alerts on each packet, in its table and its --json.</summary>
public sealed class TestCommandMessagesTests
{
    private const string Rule = """
        function filter(pkt)
          local udp = nflua.transport(pkt)
          if udp.dst_port == 53 then
            nflua.log("warning", "query to port 53")
            nflua.alert("dns blocked", { port = udp.dst_port, why = "test", strict = true })
            return false
          end
          return true
        end
        """;

    [Fact]
    public async Task LogLinesAndAlerts_ShowInTheTable_AndInJson()
    {
        using var directory = new TempDirectory();
        string capture = Captures.WritePcap(directory.File("two.pcap"), CaptureLinkType.Raw,
            TestPackets.Udp("10.0.0.1", 5353, "10.0.0.2", 53, [1]), TestPackets.Udp("10.0.0.1", 5000, "10.0.0.2", 5001, [2]));
        string rule = directory.File("dns.lua");
        File.WriteAllText(rule, Rule);

        CliRun text = await CliRun.RunAsync("test", rule, capture);
        CliRun json = await CliRun.RunAsync("test", rule, capture, "--json");

        Assert.Equal(ExitCodes.Success, text.ExitCode);
        string first = text.Output.Split('\n').Single(l => l.TrimStart().StartsWith("1 ", StringComparison.Ordinal));
        Assert.Contains("log warning: query to port 53", first, StringComparison.Ordinal);
        Assert.Contains("alert: dns blocked ", first, StringComparison.Ordinal);
        Assert.All(new[] { " port=53", " why=test", " strict=true" }, field => Assert.Contains(field, first, StringComparison.Ordinal)); // in the table's order
        string second = text.Output.Split('\n').Single(l => l.Contains("10.0.0.1:5000", StringComparison.Ordinal));
        Assert.DoesNotContain("alert", second, StringComparison.Ordinal);

        using JsonDocument document = JsonDocument.Parse(json.Output);
        JsonElement packet = document.RootElement.GetProperty("packets")[0];
        JsonElement log = Assert.Single(packet.GetProperty("logs").EnumerateArray());
        Assert.Equal("warning", log.GetProperty("level").GetString());
        JsonElement alert = Assert.Single(packet.GetProperty("alerts").EnumerateArray());
        Assert.Equal("alert", alert.GetProperty("type").GetString());
        Assert.Equal("drop", alert.GetProperty("verdict").GetString());
        Assert.Equal(53, alert.GetProperty("fields").GetProperty("port").GetInt32());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("packets")[1].GetProperty("alerts").ValueKind);
    }
}
