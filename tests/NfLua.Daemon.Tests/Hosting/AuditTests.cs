using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using NfLua.Control;

namespace NfLua.Daemon.Tests.Hosting;

/// <summary>The audit trail: every change request is logged with who sent it, what it changed and how it ended.</summary>
public sealed class AuditTests
{
    [Fact]
    public async Task ChangeRequests_AreLoggedWithThePeerAndTheScriptsHash_ReadsAreNot()
    {
        await using var daemon = DaemonHarness.Create("queue { 8 }", new Dictionary<string, string>());
        await daemon.StartAsync();
        var alice = new ControlPeer(1000, 4242);
        const string script = "function filter(pkt) return true end";
        string sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(script)));

        Assert.True((await daemon.SendAsync(new LoadRequest("audited", script, 8, ScriptPath: "/tmp/a.lua"), alice)).IsOk);
        Assert.False((await daemon.SendAsync(new LoadRequest("broken", "function filter(", 8), alice)).IsOk);
        Assert.True((await daemon.SendAsync(new ListRequest(), alice)).IsOk);
        Assert.True((await daemon.SendAsync(new StatsRequest(), alice)).IsOk);
        Assert.True((await daemon.SendAsync(new UnloadRequest("audited"), alice)).IsOk);
        Assert.True((await daemon.SendAsync(new ReloadRequest(), alice)).IsOk);

        List<(LogLevel Level, string Message)> audit = [.. daemon.Logs.Lines.Where(l => l.Message.StartsWith("audit: ", StringComparison.Ordinal))];
        Assert.Equal(4, audit.Count); // list and stats change nothing: not audited
        Assert.Equal((LogLevel.Information, $"audit: uid 1000 (pid 4242): load rule audited on queue 8, script /tmp/a.lua sha256 {sha}: done"), audit[0]);
        Assert.Equal(LogLevel.Warning, audit[1].Level);
        Assert.StartsWith("audit: uid 1000 (pid 4242): load rule broken on queue 8, script (text) sha256 ", audit[1].Message, StringComparison.Ordinal);
        Assert.Contains(": refused: ", audit[1].Message, StringComparison.Ordinal);
        Assert.Equal((LogLevel.Information, "audit: uid 1000 (pid 4242): unload rule audited: done"), audit[2]);
        Assert.Equal((LogLevel.Information, "audit: uid 1000 (pid 4242): reload: done"), audit[3]);
    }
}
