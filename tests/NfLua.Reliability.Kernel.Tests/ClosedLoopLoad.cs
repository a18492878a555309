using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace NfLua.Reliability.Kernel.Tests;

/// <summary>
/// Closed-loop UDP load through a queued port on loopback: at most <c>window</c> datagrams are in flight,
/// the sender waits for arrivals before it sends more, so the load is as fast as NfLua answers and never
/// overflows the queue. Every datagram carries its sequence number; what does not arrive is lost.
/// </summary>
internal sealed class ClosedLoopLoad : IDisposable
{
    private static readonly TimeSpan s_creditWait = TimeSpan.FromMilliseconds(100);
    private readonly Socket _receiver;
    private readonly Socket _sender;
    private readonly IPEndPoint _target;
    private readonly SemaphoreSlim _credits;
    private readonly Thread _sendThread;
    private readonly Thread _receiveThread;
    private volatile bool _sending = true;
    private volatile bool _receiving = true;
    private long _sent;
    private long _received;
    private long _stalls;

    /// <param name="port">The queued UDP port on loopback.</param>
    /// <param name="window">Datagrams in flight at most.</param>
    /// <param name="cpu">A CPU to keep the sending and receiving threads on (null: anywhere).</param>
    public ClosedLoopLoad(int port, int window, int? cpu = null)
    {
        _target = new IPEndPoint(IPAddress.Loopback, port);
        _receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        // A receive buffer that holds any window: a loss must be NfLua's, not the test reader's.
        _receiver.SetRawSocketOption(1 /* SOL_SOCKET */, 33 /* SO_RCVBUFFORCE */, BitConverter.GetBytes(8 << 20));
        _receiver.Bind(_target);
        _receiver.ReceiveTimeout = 200;
        _sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _credits = new SemaphoreSlim(window);
        _sendThread = new Thread(() => Pinned(cpu, SendLoop)) { IsBackground = true, Name = $"load-send-{port}" };
        _receiveThread = new Thread(() => Pinned(cpu, ReceiveLoop)) { IsBackground = true, Name = $"load-receive-{port}" };
        _receiveThread.Start();
        _sendThread.Start();
    }

    public long Sent => Interlocked.Read(ref _sent);

    public long Received => Interlocked.Read(ref _received);

    /// <summary>Times the sender waited a whole credit period for an arrival (traffic stopped, or a loss).</summary>
    public long Stalls => Interlocked.Read(ref _stalls);

    /// <summary>Stops sending, waits until every datagram arrived or nothing arrived for <paramref name="quiet"/>; returns the lost count.</summary>
    public long Stop(TimeSpan quiet)
    {
        _sending = false;
        _sendThread.Join();
        long last = Received;
        var sinceLast = System.Diagnostics.Stopwatch.StartNew();
        while (Received < Sent && sinceLast.Elapsed < quiet)
        {
            Thread.Sleep(20);
            if (Received != last)
            {
                last = Received;
                sinceLast.Restart();
            }
        }

        _receiving = false;
        _receiveThread.Join();
        return Sent - Received;
    }

    /// <summary>Datagrams that arrived during <paramref name="period"/> (the load keeps running).</summary>
    public long ReceivedDuring(TimeSpan period)
    {
        long before = Received;
        Thread.Sleep(period);
        return Received - before;
    }

    public void Dispose()
    {
        if (_sending || _receiving)
        {
            _sending = false;
            _receiving = false;
            _sendThread.Join();
            _receiveThread.Join();
        }

        _sender.Dispose();
        _receiver.Dispose();
        _credits.Dispose();
    }

    private static void Pinned(int? cpu, Action loop)
    {
        if (cpu is { } c)
        {
            ThreadAffinity.Pin(c);
        }

        loop();
    }

    private void SendLoop()
    {
        byte[] datagram = new byte[64];
        while (_sending)
        {
            if (!_credits.Wait(s_creditWait))
            {
                // Nothing came back for a while: keep probing with one datagram so a stop can be seen to end.
                Interlocked.Increment(ref _stalls);
            }

            BinaryPrimitives.WriteInt64LittleEndian(datagram, _sent);
            _sender.SendTo(datagram, _target);
            Interlocked.Increment(ref _sent);
        }
    }

    private void ReceiveLoop()
    {
        byte[] buffer = new byte[256];
        while (_receiving)
        {
            try
            {
                if (_receiver.Receive(buffer) > 0)
                {
                    Interlocked.Increment(ref _received);
                    _credits.Release();
                }
            }
            catch (SocketException)
            {
                // receive timeout: look at _receiving again
            }
        }
    }
}
