using NfLua.Netlink.Interop;
using NfLua.Netlink.Wire;

namespace NfLua.Netlink;

/// <summary>
/// The host's interface names by index, kept current from the kernel's link notifications: a
/// NETLINK_ROUTE socket joined to RTMGRP_LINK, a dump of every link (RTM_GETLINK) when it opens and
/// whenever notifications were lost, then RTM_NEWLINK and RTM_DELLINK as they come, read by a thread
/// of its own. Lookups read an immutable snapshot: no lock, no system call, no allocation
/// (docs/internals.md, "Interface names").
/// </summary>
public sealed class InterfaceTable : IDisposable
{
    // linux/rtnetlink.h, linux/if_link.h
    private const ushort NewLink = 16;
    private const ushort DeleteLink = 17;
    private const ushort GetLink = 18;
    private const ushort Done = 3;
    private const ushort AttributeName = 3; // IFLA_IFNAME
    private const int LinkInfoSize = 16;    // struct ifinfomsg
    private const int Enobufs = 105;

    private readonly NetlinkSocket _socket;
    private readonly Thread _thread;
    private volatile Dictionary<uint, byte[]> _names = [];
    private volatile bool _stopping;
    private long _version;
    private uint _sequence;

    private InterfaceTable(NetlinkSocket socket)
    {
        _socket = socket;
        _thread = new Thread(Run) { Name = "nflua-links", IsBackground = true };
    }

    /// <summary>Grows by one at every change of any name.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Opens the table: reads every link now, then follows changes on a thread of its own.</summary>
    /// <returns>0, or the errno that stopped it (the host then runs without interface names).</returns>
    public static int Open(out InterfaceTable? table)
    {
        table = null;
        int error = NetlinkSocket.Open(NetlinkConstants.ProtocolRoute, NetlinkConstants.RouteGroupLink, out NetlinkSocket? socket);
        if (error != 0)
        {
            return error;
        }

        var candidate = new InterfaceTable(socket!);
        error = candidate.Dump();
        if (error != 0)
        {
            candidate.Dispose();
            return error;
        }

        candidate._thread.Start();
        table = candidate;
        return 0;
    }

    /// <summary>The name of interface <paramref name="index"/> as UTF-8; empty when there is none.</summary>
    public ReadOnlySpan<byte> Name(uint index) => _names.TryGetValue(index, out byte[]? name) ? name : default;

    /// <summary>The name of interface <paramref name="index"/>, or null.</summary>
    public string? NameText(uint index) => _names.TryGetValue(index, out byte[]? name) ? System.Text.Encoding.UTF8.GetString(name) : null;

    /// <summary>Stops following changes.</summary>
    public void Dispose()
    {
        _stopping = true;
        if (_thread.IsAlive)
        {
            _thread.Join(TimeSpan.FromSeconds(2));
        }

        _socket.Dispose();
    }

    /// <summary>Asks for every link and reads the answer into a new snapshot.</summary>
    private int Dump()
    {
        Span<byte> request = stackalloc byte[NetlinkConstants.MessageHeaderSize + LinkInfoSize];
        request.Clear();
        HostOrder.WriteUInt16HostOrder(request[4..], GetLink);
        HostOrder.WriteUInt16HostOrder(request[6..], 0x1 | 0x300); // NLM_F_REQUEST | NLM_F_DUMP
        uint sequence = ++_sequence;
        HostOrder.WriteUInt32HostOrder(request[8..], sequence);
        HostOrder.WriteUInt32HostOrder(request, (uint)request.Length);
        int error = _socket.Send(request);
        if (error != 0)
        {
            return error;
        }

        var names = new Dictionary<uint, byte[]>();
        byte[] buffer = new byte[1 << 16];
        while (true)
        {
            error = _socket.Receive(buffer, 5000, out int length);
            if (error != 0)
            {
                return error;
            }

            // The dump's parts, and notifications that arrive meanwhile (applied in order).
            if (Apply(buffer.AsSpan(0, length), names, sequence))
            {
                break;
            }
        }

        Publish(names);
        return 0;
    }

    private void Run()
    {
        byte[] buffer = new byte[1 << 16];
        while (!_stopping)
        {
            int error = _socket.Receive(buffer, 200, out int length);
            if (error == Enobufs)
            {
                Dump(); // notifications were lost: read the whole table again
                continue;
            }

            if (error != 0)
            {
                continue;
            }

            var names = new Dictionary<uint, byte[]>(_names);
            Apply(buffer.AsSpan(0, length), names, dumpSequence: 0);
            Publish(names);
        }
    }

    /// <summary>Applies a datagram's link messages; true when it held the end of the dump <paramref name="dumpSequence"/>.</summary>
    internal static bool Apply(ReadOnlySpan<byte> datagram, Dictionary<uint, byte[]> names, uint dumpSequence)
    {
        var reader = new NetlinkMessageReader(datagram);
        bool done = false;
        while (reader.Read(out NetlinkMessage message, out _) == NetlinkReadStatus.Item)
        {
            ushort type = (ushort)message.Type;
            if (type == Done || type == (ushort)NetlinkMessageType.Error)
            {
                done |= dumpSequence != 0 && message.Sequence == dumpSequence;
                continue;
            }

            if ((type != NewLink && type != DeleteLink) || message.Payload.Length < LinkInfoSize)
            {
                continue;
            }

            uint index = HostOrder.ReadUInt32HostOrder(message.Payload[4..]); // ifi_index (an int the kernel keeps positive)
            if (type == DeleteLink)
            {
                names.Remove(index);
                continue;
            }

            var attributes = new NetlinkAttributeReader(message.Payload[LinkInfoSize..]);
            while (attributes.Read(out ushort attribute, out ReadOnlySpan<byte> payload, out _) == NetlinkReadStatus.Item)
            {
                if (attribute == AttributeName)
                {
                    int end = payload.IndexOf((byte)0);
                    names[index] = (end < 0 ? payload : payload[..end]).ToArray();
                }
            }
        }

        return done;
    }

    private void Publish(Dictionary<uint, byte[]> names)
    {
        bool changed = names.Count != _names.Count || names.Any(n => !_names.TryGetValue(n.Key, out byte[]? old) || !old.AsSpan().SequenceEqual(n.Value));
        _names = names;
        if (changed)
        {
            Interlocked.Increment(ref _version);
        }
    }
}
