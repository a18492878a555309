using System.Text.Json;
using NfLua.Control;

namespace NfLua.Cli.Tests;

/// <summary>Under --json an error is JSON on stdout too (for scripts), besides its one line on stderr (for people).</summary>
public sealed class JsonErrorTests
{
    [Fact]
    public async Task DaemonRefusal_UnderJson_IsAJsonErrorWithTheFileAndLine()
    {
        await using var daemon = new FakeDaemon(_ => ControlResponse.Failure(0, new ControlError(ControlErrorName.CompileError, "r.lua:3: unexpected symbol", "r.lua", 3)));
        string script = daemon.Directory.WriteFile("r.lua", "function filter(pkt) return true end");

        CliRun run = await daemon.RunAsync("load", "r", script, "--queue", "0", "--json");

        Assert.Equal(ExitCodes.DaemonError, run.ExitCode);
        Assert.Equal("r.lua:3: unexpected symbol", run.Error.Trim());
        using JsonDocument json = JsonDocument.Parse(run.Output);
        JsonElement error = json.RootElement.GetProperty("error");
        Assert.Equal(("load", "CompileError", "r.lua:3: unexpected symbol", "r.lua", 3),
            (error.GetProperty("op").GetString(), error.GetProperty("kind").GetString(), error.GetProperty("message").GetString(),
             error.GetProperty("file").GetString(), error.GetProperty("line").GetInt32()));
        Assert.Equal(ExitCodes.DaemonError, json.RootElement.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task NoDaemon_UnderJson_IsAJsonError_WithoutJson_OnlyTheLine()
    {
        using var directory = new TempDirectory();
        string socket = directory.File("none.sock");

        CliRun json = await CliRun.RunAsync("--socket", socket, "status", "--json");
        CliRun text = await CliRun.RunAsync("--socket", socket, "status");

        Assert.Equal(ExitCodes.DaemonUnreachable, json.ExitCode);
        using JsonDocument parsed = JsonDocument.Parse(json.Output);
        Assert.Equal("Unreachable", parsed.RootElement.GetProperty("error").GetProperty("kind").GetString());
        Assert.Contains("(is nfluad running?)", parsed.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.DaemonUnreachable, text.ExitCode);
        Assert.Empty(text.Output);
        Assert.StartsWith("nflua-ctl: status: ", text.Error, StringComparison.Ordinal);
    }
}
