using System.Net;
using System.Net.Sockets;

namespace NfLua.Reliability.Kernel.Tests;

/// <summary>An open-loop burst of UDP datagrams to a queued port on loopback, and how many arrived.</summary>
internal static class Burst
{
    /// <summary>Sends <paramref name="count"/> datagrams as fast as possible; returns how many arrived once the port was quiet for <paramref name="quiet"/>.</summary>
    public static int Send(int port, int count, TimeSpan quiet)
    {
        var target = new IPEndPoint(IPAddress.Loopback, port);
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.SetRawSocketOption(1 /* SOL_SOCKET */, 33 /* SO_RCVBUFFORCE */, BitConverter.GetBytes(32 << 20));
        receiver.Bind(target);
        receiver.ReceiveTimeout = (int)quiet.TotalMilliseconds;
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        // Queued datagrams stay charged to the sender's buffer (docs/internals.md, "What happens to a packet nobody answers"): a large one lets the burst outrun nfluad
        // instead of blocking the sender.
        sender.SetRawSocketOption(1 /* SOL_SOCKET */, 32 /* SO_SNDBUFFORCE */, BitConverter.GetBytes(32 << 20));

        int received = 0;
        bool sending = true;
        var reader = new Thread(() =>
        {
            byte[] buffer = new byte[256];
            while (true)
            {
                try
                {
                    receiver.Receive(buffer);
                    received++;
                }
                catch (SocketException) when (!Volatile.Read(ref sending))
                {
                    return;
                }
                catch (SocketException)
                {
                }
            }
        });
        reader.Start();
        byte[] datagram = new byte[64];
        for (int i = 0; i < count; i++)
        {
            BitConverter.TryWriteBytes(datagram, i);
            sender.SendTo(datagram, target);
        }

        Volatile.Write(ref sending, false);
        reader.Join();
        return received;
    }
}
