using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using NfLua.Control;

namespace NfLua.Daemon.Kernel.Tests;

/// <summary>Garbage on the control socket never harms nfluad: afterwards it answers status at once and still loads rules.</summary>
public sealed class ControlAbuseTests
{
    public ControlAbuseTests() => KernelEnvironment.Require();

    [Fact]
    public async Task Abuse_LeavesTheDaemonAnsweringAndLoading()
    {
        using var daemon = DaemonProcess.Start("queue { 30 }");
        Assert.True(daemon.WaitForNotification("READY=1", TimeSpan.FromSeconds(15)), daemon.StdErr);

        var random = new Random(30);
        var idle = new List<Socket>();
        for (int i = 0; i < 200; i++)
        {
            idle.Add(Connect(daemon.SocketPath)); // hundreds of idle connections
        }

        using (Socket garbage = Connect(daemon.SocketPath))
        {
            byte[] noise = new byte[4096];
            random.NextBytes(noise);
            garbage.Send(noise);
        }

        using (Socket oversize = Connect(daemon.SocketPath))
        {
            byte[] header = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(header, 64 * 1024 * 1024);
            oversize.Send(header); // announces 64 MiB, sends nothing more
        }

        using (Socket deep = Connect(daemon.SocketPath))
        {
            deep.Send(Frame(new string('[', 100_000)));
        }

        using (Socket invalid = Connect(daemon.SocketPath))
        {
            invalid.Send(Frame("{\"v\":1,\"id\":1,\"op\":\"load\",\"args\":{\"name\":3}}"));
            invalid.Send(Frame("not json at all"));
        }

        using Socket half = Connect(daemon.SocketPath);
        half.Send(Frame("{\"v\":1,\"id\":1,\"op\":\"status\",\"args\":{}}").AsSpan(0, 10)); // half a frame, then silence

        var clock = Stopwatch.StartNew();
        ControlResponse status = await daemon.ControlAsync(new StatusRequest());
        Assert.True(status.IsOk, status.Error?.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"status took {clock.Elapsed}");

        ControlResponse load = await daemon.ControlAsync(new LoadRequest("after-abuse", "function filter(pkt) return true end", 30, "a.lua"));
        Assert.True(load.IsOk, load.Error?.Message);
        Assert.False(daemon.HasExited);
        idle.ForEach(s => s.Dispose());
        Assert.Equal(0, daemon.Stop(TimeSpan.FromSeconds(20)));
    }

    private static Socket Connect(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    private static byte[] Frame(string json)
    {
        byte[] body = Encoding.UTF8.GetBytes(json);
        byte[] frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)body.Length);
        body.CopyTo(frame, 4);
        return frame;
    }
}
