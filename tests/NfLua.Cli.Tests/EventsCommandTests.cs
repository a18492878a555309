using NfLua.Control;

namespace NfLua.Cli.Tests;

/// <summary>nflua-ctl events: the latest events, and --follow asking after the last one it got.</summary>
public sealed class EventsCommandTests
{
    private const string Alert = """{"time":"2025-01-02T03:04:05.000006Z","type":"alert","rule":"dns","queue":0,"proto":"UDP","src_ip":"10.0.0.1","src_port":5353,"dest_ip":"10.0.0.2","dest_port":53,"verdict":"drop","message":"bad name","fields":{"qname":"x.example"}}""";
    private const string Control = """{"time":"2025-01-02T03:04:06.000000Z","type":"control","action":"load","rule":"dns","queues":[0],"uid":0,"result":"done"}""";

    [Fact]
    public async Task Events_PrintsEachEventAsOneReadableLine()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(new EventsResult([Alert, Control], 2)));
        CliRun run = await daemon.RunAsync("events", "--rule", "dns");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        string[] lines = run.Output.TrimEnd().Split('\n');
        Assert.Equal(
            "2025-01-02T03:04:05.000006Z alert rule=dns queue=0 proto=UDP src_ip=10.0.0.1 src_port=5353 dest_ip=10.0.0.2 dest_port=53 verdict=drop message=\"bad name\" fields={qname=x.example}",
            lines[0]);
        Assert.Equal("2025-01-02T03:04:06.000000Z control action=load rule=dns queues=0 uid=0 result=done", lines[1]);
        var request = Assert.IsType<EventsRequest>(Assert.Single(daemon.Requests));
        Assert.Equal(("dns", (long?)null), (request.Rule, request.After));
    }

    [Fact]
    public async Task Json_PrintsTheEventLogsLines()
    {
        await using var daemon = new FakeDaemon(_ => FakeDaemon.Ok(new EventsResult([Alert], 1)));
        CliRun run = await daemon.RunAsync("events", "--json");
        Assert.Equal(Alert + "\n", run.Output.Replace("\r", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Follow_AsksAfterTheLastEventItGot_AndWaitsForNewOnes()
    {
        int calls = 0;
        using var stop = new CancellationTokenSource();
        await using var daemon = new FakeDaemon(command =>
        {
            var request = (EventsRequest)command;
            switch (++calls)
            {
                case 1: return FakeDaemon.Ok(new EventsResult([Control], 7));
                case 2:
                    Assert.Equal((7L, true), (request.After!.Value, request.WaitMs > 0));
                    return FakeDaemon.Ok(new EventsResult([Alert], 9));
                default:
                    Assert.Equal(9L, request.After);
                    stop.Cancel();
                    return FakeDaemon.Ok(new EventsResult([], 9));
            }
        });

        var output = new StringWriter();
        int exit = await Cli.RunAsync(["--socket", daemon.SocketPath, "events", "--follow", "--json"], output, new StringWriter(), _ => null, stop.Token);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal([Control, Alert], output.ToString().TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')));
    }
}
