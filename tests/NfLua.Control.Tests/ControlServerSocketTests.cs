using System.Diagnostics;
using System.Net.Sockets;

namespace NfLua.Control.Tests;

public sealed class ControlServerSocketTests
{
    [Fact]
    public async Task Start_MissingParentDirectory_CreatesItAndSocketWithMode0660()
    {
        await using var server = new RunningServer();

        Assert.True(Directory.Exists(Path.GetDirectoryName(server.SocketPath)));
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite,
            File.GetUnixFileMode(server.SocketPath));
    }

    [Fact]
    public async Task Start_GroupConfigured_SocketBelongsToIt()
    {
        await using var server = new RunningServer(groupId: 65534);

        Assert.Equal("65534", Stat("%g", server.SocketPath));
    }

    [Fact]
    public async Task Start_StaleSocketFile_ReplacedAndServed()
    {
        using var directory = new TempDirectory();
        string path = directory.File("stale.sock");
        using (var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            dead.Bind(new UnixDomainSocketEndPoint(path));
        }

        await using var server = new ControlServer(new ControlServerOptions { SocketPath = path }, RunningServer.AnswerAsync);
        server.Start();
        await using ControlClient client = await ControlClient.ConnectAsync(path, TestContext.Current.CancellationToken);

        Assert.True((await client.SendAsync(new StatusRequest(), TestContext.Current.CancellationToken)).IsOk);
    }

    [Fact]
    public async Task Start_DirectoryThatCannotBeCreated_OneSentenceNamingIt()
    {
        using var directory = new TempDirectory();
        string file = directory.File("a-file");
        File.WriteAllText(file, "");
        string path = Path.Combine(file, "nflua.sock");
        await using var server = new ControlServer(new ControlServerOptions { SocketPath = path }, RunningServer.AnswerAsync);

        var ex = Assert.Throws<IOException>(server.Start);

        Assert.StartsWith($"cannot create {file}, the control socket's directory: ", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task Start_LiveServerOnPath_RefusesToStealIt()
    {
        await using var running = new RunningServer();
        await using var second = new ControlServer(new ControlServerOptions { SocketPath = running.SocketPath }, RunningServer.AnswerAsync);

        var ex = Assert.Throws<IOException>(second.Start);

        Assert.Contains("in use", ex.Message, StringComparison.Ordinal);
        Assert.True((await running.SendAsync(new StatusRequest())).IsOk);
    }

    [Fact]
    public async Task Start_RegularFileOnPath_RefusesAndKeepsTheFile()
    {
        using var directory = new TempDirectory();
        string path = directory.File("not-a-socket");
        await File.WriteAllTextAsync(path, "precious", TestContext.Current.CancellationToken);
        await using var server = new ControlServer(new ControlServerOptions { SocketPath = path }, RunningServer.AnswerAsync);

        var ex = Assert.Throws<IOException>(server.Start);

        Assert.Contains("not a socket", ex.Message, StringComparison.Ordinal);
        Assert.Equal("precious", await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task DisposeAsync_RunningServer_RemovesSocketFile()
    {
        var server = new RunningServer();
        string path = server.SocketPath;

        await server.Server.DisposeAsync();

        Assert.False(File.Exists(path));
        await server.DisposeAsync();
    }

    [Fact]
    public async Task ConnectAsync_NoSocketFile_DaemonUnreachable()
    {
        using var directory = new TempDirectory();

        var ex = await Assert.ThrowsAsync<DaemonUnreachableException>(
            () => ControlClient.ConnectAsync(directory.File("absent.sock"), TestContext.Current.CancellationToken));

        Assert.Equal($"no control socket at {directory.File("absent.sock")} (is nfluad running?)", ex.Message);
    }

    [Fact]
    public async Task ConnectAsync_NobodyListening_DaemonUnreachable()
    {
        using var directory = new TempDirectory();
        string path = directory.File("dead.sock");
        using var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        dead.Bind(new UnixDomainSocketEndPoint(path));

        var ex = await Assert.ThrowsAsync<DaemonUnreachableException>(() => ControlClient.ConnectAsync(path, TestContext.Current.CancellationToken));

        Assert.Contains("nothing is listening", ex.Message, StringComparison.Ordinal);
    }

    private static string Stat(string format, string path)
    {
        var info = new ProcessStartInfo("stat") { RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(format);
        info.ArgumentList.Add(path);
        using Process process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }
}
