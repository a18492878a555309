using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NfLua.Reliability.Kernel.Tests;

/// <summary>One datagram at a time through a queued port: did it arrive, and how long did the trip take.</summary>
internal sealed class UdpProbe : IDisposable
{
    private readonly Socket _receiver;
    private readonly Socket _sender;
    private readonly IPEndPoint _target;
    private readonly HashSet<long> _arrived = [];
    private long _sequence;

    public UdpProbe(int port)
    {
        _target = new IPEndPoint(IPAddress.Loopback, port);
        _receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _receiver.Bind(_target);
        _sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    }

    /// <summary>Sends one datagram; returns its trip time, or null when it did not arrive within <paramref name="wait"/>.</summary>
    public TimeSpan? Send(TimeSpan wait)
    {
        long sequence = ++_sequence;
        byte[] datagram = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(datagram, sequence);
        var clock = Stopwatch.StartNew();
        _sender.SendTo(datagram, _target);
        byte[] buffer = new byte[64];
        while (clock.Elapsed < wait)
        {
            int left = (int)Math.Max(1, (wait - clock.Elapsed).TotalMilliseconds);
            if (!_receiver.Poll(TimeSpan.FromMilliseconds(left), SelectMode.SelectRead))
            {
                break;
            }

            long arrived = ReceiveOne(buffer);
            // An earlier, late datagram is not this one's answer (but it was not lost: see Lost).
            if (arrived == sequence)
            {
                return clock.Elapsed;
            }
        }

        return null;
    }

    /// <summary>
    /// The datagrams sent that never arrived, counting late ones that came after their <see cref="Send"/> gave up:
    /// first waits <paramref name="settle"/> for stragglers.
    /// </summary>
    public long Lost(TimeSpan settle)
    {
        byte[] buffer = new byte[64];
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < settle && _receiver.Poll(TimeSpan.FromMilliseconds(Math.Max(1, (settle - clock.Elapsed).TotalMilliseconds)), SelectMode.SelectRead))
        {
            ReceiveOne(buffer);
        }

        return _sequence - _arrived.Count;
    }

    private long ReceiveOne(byte[] buffer)
    {
        int n = _receiver.Receive(buffer);
        long sequence = n >= 8 ? BinaryPrimitives.ReadInt64LittleEndian(buffer) : 0;
        if (sequence > 0 && sequence <= _sequence)
        {
            _arrived.Add(sequence);
        }

        return sequence;
    }

    /// <summary>Whether a datagram arrives within <paramref name="wait"/>.</summary>
    public bool Passes(TimeSpan wait) => Send(wait) is not null;

    public void Dispose()
    {
        _sender.Dispose();
        _receiver.Dispose();
    }
}
