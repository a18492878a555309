using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NfLua.Daemon.Kernel.Tests;

/// <summary>Real traffic on the namespace's loopback.</summary>
internal static class Traffic
{
    /// <summary>Serves one banner on a TCP port; returns what a client connecting to it read (null: nothing arrived in time).</summary>
    public static string? BannerSeenByClient(int port, string banner, TimeSpan wait)
    {
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        var server = new Thread(() =>
        {
            using TcpClient accepted = listener.AcceptTcpClient();
            accepted.GetStream().Write(Encoding.ASCII.GetBytes(banner));
            Thread.Sleep(wait + TimeSpan.FromSeconds(1));
        }) { IsBackground = true };
        server.Start();

        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, port);
        client.ReceiveTimeout = (int)wait.TotalMilliseconds;
        byte[] buffer = new byte[256];
        try
        {
            int n = client.GetStream().Read(buffer);
            return Encoding.ASCII.GetString(buffer, 0, n);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// Sends each datagram to a UDP port on loopback while a reader drains the port; returns the
    /// ones that arrived by the time the port was quiet for <paramref name="quiet"/> after the last send.
    /// </summary>
    public static List<byte[]> DatagramsReceived(int port, IEnumerable<byte[]> datagrams, TimeSpan quiet)
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
        using var sender = new UdpClient();
        receiver.Client.ReceiveTimeout = (int)quiet.TotalMilliseconds;
        // A receive buffer that holds the whole burst: a loss must be NfLua's, not the test reader's.
        receiver.Client.SetRawSocketOption(1 /* SOL_SOCKET */, 33 /* SO_RCVBUFFORCE */, BitConverter.GetBytes(32 << 20));
        var received = new List<byte[]>();
        bool sending = true;
        var reader = new Thread(() =>
        {
            while (true)
            {
                try
                {
                    IPEndPoint? from = null;
                    received.Add(receiver.Receive(ref from));
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
        foreach (byte[] d in datagrams)
        {
            sender.Send(d, d.Length, new IPEndPoint(IPAddress.Loopback, port));
        }

        Volatile.Write(ref sending, false);
        reader.Join();
        return received;
    }

    /// <summary>An RTP packet (version 2) with the given payload type and sequence number.</summary>
    public static byte[] Rtp(int payloadType, int sequence)
    {
        var rtp = new byte[20];
        rtp[0] = 0x80;
        rtp[1] = (byte)payloadType;
        rtp[2] = (byte)(sequence >> 8);
        rtp[3] = (byte)sequence;
        return rtp;
    }
}
