using System.Net;
using System.Net.Sockets;

namespace NfLua.Netlink.Kernel.Tests;

/// <summary>A UDP receiver on 127.0.0.1:<see cref="Port"/> and a sender to it.</summary>
internal sealed class LoopbackUdp : IDisposable
{
    private readonly Socket _receiver = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _sender = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public LoopbackUdp(int port)
    {
        Port = port;
        _receiver.Bind(new IPEndPoint(IPAddress.Loopback, port));
        _sender.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public int Port { get; }

    /// <summary>Sets the receiver's buffer to <paramref name="bytes"/>, past the system's limit (SO_RCVBUFFORCE, as root).</summary>
    public void ForceReceiveBuffer(int bytes) =>
        _receiver.SetRawSocketOption(1 /* SOL_SOCKET */, 33 /* SO_RCVBUFFORCE */, BitConverter.GetBytes(bytes));

    public void Send(ReadOnlySpan<byte> data) => _sender.SendTo(data, SocketFlags.None, new IPEndPoint(IPAddress.Loopback, Port));

    public void Send(string text) => Send(System.Text.Encoding.ASCII.GetBytes(text));

    /// <summary>The next datagram, or null when none arrives within <paramref name="timeout"/>.</summary>
    public byte[]? TryReceive(TimeSpan timeout)
    {
        if (!_receiver.Poll(timeout, SelectMode.SelectRead))
        {
            return null;
        }

        byte[] buffer = new byte[65536];
        int length = _receiver.Receive(buffer);
        return buffer[..length];
    }

    public string? TryReceiveText(TimeSpan timeout) =>
        TryReceive(timeout) is { } data ? System.Text.Encoding.ASCII.GetString(data) : null;

    public void Dispose()
    {
        _receiver.Dispose();
        _sender.Dispose();
    }
}
