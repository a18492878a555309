using System.Net.Sockets;

namespace NfLua.Control.Tests;

/// <summary>Two connected Unix stream sockets over a temporary path.</summary>
internal sealed class SocketPair : IDisposable
{
    private readonly TempDirectory _directory = new();

    public SocketPair()
    {
        string path = _directory.File("pair.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        Client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        Client.Connect(new UnixDomainSocketEndPoint(path));
        ServerStream = new NetworkStream(listener.Accept(), ownsSocket: true);
    }

    public Socket Client { get; }

    public NetworkStream ServerStream { get; }

    public void Dispose()
    {
        Client.Dispose();
        ServerStream.Dispose();
        _directory.Dispose();
    }
}
