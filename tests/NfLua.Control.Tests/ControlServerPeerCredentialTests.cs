using System.Diagnostics;

namespace NfLua.Control.Tests;

/// <summary>Clients run as another uid (nobody, 65534) through setpriv: the credential check, not file permissions, decides.</summary>
public sealed class ControlServerPeerCredentialTests
{
    // Connects, sends a status request (ignoring a refusal that closed the socket first), prints the reply's JSON body.
    private const string PythonClient = """
        import socket, struct, sys
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(sys.argv[1])
        body = b'{"v":1,"id":7,"op":"status","args":{}}'
        try:
            s.sendall(struct.pack('>I', len(body)) + body)
        except OSError:
            pass
        buf = b''
        while len(buf) < 4 or len(buf) < 4 + struct.unpack('>I', buf[:4])[0]:
            try:
                chunk = s.recv(65536)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
        sys.stdout.write(buf[4:].decode())
        """;

    [Fact]
    public async Task Server_UnprivilegedUser_RefusedAsForbidden()
    {
        await using var server = new RunningServer();
        MakeConnectableByEveryone(server);

        ControlResponse response = await RunAsNobodyAsync(server.SocketPath);

        Assert.Equal(ControlErrorName.Forbidden, response.Error!.Name);
        Assert.Contains("uid 65534", response.Error.Message, StringComparison.Ordinal);
        Assert.True((await server.SendAsync(new StatusRequest())).IsOk); // root, same server
    }

    [Fact]
    public async Task Server_UserOutsideTheGroup_IsToldTheGroupByName()
    {
        // gid 100 is Debian's "users"; getent (NSS) names it independently of the server's reading of /etc/group.
        string name = RunGetent("100");
        await using var server = new RunningServer(groupId: 100);
        MakeConnectableByEveryone(server);

        ControlResponse response = await RunAsNobodyAsync(server.SocketPath);

        Assert.Equal(ControlErrorName.Forbidden, response.Error!.Name);
        Assert.Contains($"is neither root nor a member of group {name} (gid 100)", response.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--regid=65534", "--clear-groups")]
    [InlineData("--regid=4321", "--groups=100,65534")]
    public async Task Server_UserInConfiguredGroup_Answered(string primaryGroup, string supplementaryGroups)
    {
        await using var server = new RunningServer(groupId: 65534);
        MakeConnectableByEveryone(server);

        ControlResponse response = await RunAsNobodyAsync(server.SocketPath, primaryGroup, supplementaryGroups);

        Assert.True(response.IsOk);
        Assert.Equal(7, response.Id);
    }

    private static string RunGetent(string gid)
    {
        using Process getent = Process.Start(new ProcessStartInfo("getent", ["group", gid]) { RedirectStandardOutput = true })!;
        string line = getent.StandardOutput.ReadToEnd();
        getent.WaitForExit();
        Assert.True(getent.ExitCode == 0, $"this machine has no group {gid}");
        return line.Split(':')[0];
    }

    private static void MakeConnectableByEveryone(RunningServer server)
    {
        const UnixFileMode everyone = (UnixFileMode)0x1FF; // 0777
        File.SetUnixFileMode(server.DirectoryPath, everyone);
        File.SetUnixFileMode(Path.GetDirectoryName(server.SocketPath)!, everyone);
        File.SetUnixFileMode(server.SocketPath, (UnixFileMode)0x1B6); // 0666
    }

    private static async Task<ControlResponse> RunAsNobodyAsync(
        string socketPath, string primaryGroup = "--regid=65534", string supplementaryGroups = "--clear-groups")
    {
        var info = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "--reuid=65534", primaryGroup, supplementaryGroups, "/usr/bin/python3", "-c", PythonClient, socketPath })
        {
            info.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        string output = await stdout;
        Assert.True(process.ExitCode == 0 && output.Length > 0, $"client failed ({process.ExitCode}): {await stderr}");
        return ControlCodec.DecodeResponse(System.Text.Encoding.UTF8.GetBytes(output), ControlOp.Status);
    }
}
