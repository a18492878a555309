using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace NfLua.Daemon.Kernel.Tests;

/// <summary>
/// The control-socket abuse both kernel tiers throw at nfluad (ControlAbuseTests here, ControlAbuseUnderLoadTests
/// with packets flowing): hundreds of idle connections, random bytes, a frame announcing 64 MiB, deeply nested JSON,
/// invalid requests, and half a frame followed by silence.
/// </summary>
internal sealed class ControlSocketAbuse : IDisposable
{
    private readonly List<Socket> _open = [];

    /// <summary>Sends the abuse; the idle and half-frame connections stay open until <see cref="Dispose"/>.</summary>
    /// <param name="garbageConnections">How many connections each send 4 KiB of random bytes.</param>
    public ControlSocketAbuse(string socketPath, Random random, int garbageConnections)
    {
        for (int i = 0; i < 200; i++)
        {
            _open.Add(Connect(socketPath));
        }

        for (int i = 0; i < garbageConnections; i++)
        {
            using Socket garbage = Connect(socketPath);
            byte[] noise = new byte[4096];
            random.NextBytes(noise);
            garbage.Send(noise);
        }

        using (Socket oversize = Connect(socketPath))
        {
            byte[] header = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(header, 64 * 1024 * 1024);
            oversize.Send(header); // announces 64 MiB, sends nothing more
        }

        using (Socket deep = Connect(socketPath))
        {
            deep.Send(Frame(new string('[', 100_000)));
        }

        using (Socket invalid = Connect(socketPath))
        {
            invalid.Send(Frame("{\"v\":1,\"id\":1,\"op\":\"load\",\"args\":{\"name\":3}}"));
            invalid.Send(Frame("not json at all"));
        }

        Socket half = Connect(socketPath);
        half.Send(Frame("{\"v\":1,\"id\":1,\"op\":\"status\",\"args\":{}}").AsSpan(0, 10)); // half a frame, then silence
        _open.Add(half);
    }

    public void Dispose() => _open.ForEach(s => s.Dispose());

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
