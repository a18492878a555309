using System.Net.Sockets;
using NfLua.Control;
using NfLua.Daemon.Hosting;

namespace NfLua.Daemon.Tests.Hosting;

/// <summary>Start-up order: nothing in the kernel is touched before the control socket is known to be nfluad's.</summary>
public sealed class StartTests
{
    [Fact]
    public async Task ASecondDaemonOnASocketInUse_FailsBeforeBindingAnyQueue()
    {
        await using var daemon = DaemonHarness.Create("queue { 1 }\nqueue { 2 }", Scripts.Files);
        using var other = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        other.Bind(new UnixDomainSocketEndPoint(Path.Combine(daemon.Directory, "nflua.sock")));
        other.Listen(1); // the first nfluad

        StartupException refused = await Assert.ThrowsAsync<StartupException>(daemon.StartAsync);

        Assert.Equal(Path.Combine(daemon.Directory, "nflua.sock") + " is in use: another control server is listening on it", refused.Message); // one line

        Assert.Equal(0, daemon.Channels.Opened);
    }

    [Fact]
    public async Task ControlRequestsDuringStart_WaitUntilTheDaemonIsReady()
    {
        await using var daemon = DaemonHarness.Create("queue { 1, rule { \"r\", script = \"drop.lua\" } }", Scripts.Files);

        Task<ControlResponse> early = daemon.SendAsync(new ListRequest());
        Assert.False(early.IsCompleted);
        await daemon.StartAsync();

        ControlResponse answered = await early;
        Assert.Equal("r", Assert.Single(((ListResult)answered.Result!).Rules).Name);
    }
}
