using System.Collections;
using NfLua.Packets;

namespace NfLua.Scripting;

/// <summary>
/// What a rule declared with <c>nflua.interest{ protocol = ..., port = ..., src_port = ..., dst_port = ... }</c>: the
/// packets it wants to see. The queue checks it before any Lua call, so a packet no rule is interested in costs no call
/// (docs/internals.md, "Interest"). Each key narrows: a packet is admitted when every key declared matches it (a
/// protocol in the list; for <c>port</c>, its source or destination port). A packet that does not parse as IP is
/// always admitted (the rule decides what to do with odd packets).
/// </summary>
public sealed class PacketInterest
{
    /// <summary>The kinds of key, as sandbox.lua passes them.</summary>
    public enum Key
    {
        /// <summary>The IP protocol (next header): 0 to 255.</summary>
        Protocol = 0,

        /// <summary>Either port.</summary>
        Port = 1,

        /// <summary>The source port.</summary>
        SourcePort = 2,

        /// <summary>The destination port.</summary>
        DestinationPort = 3,
    }

    private BitArray? _protocols;
    private BitArray? _ports;
    private BitArray? _sourcePorts;
    private BitArray? _destinationPorts;

    /// <summary>Adds <paramref name="first"/> to <paramref name="last"/> (inclusive) to a key; false when out of range.</summary>
    public bool Add(Key key, int first, int last)
    {
        int max = key == Key.Protocol ? 255 : 65535;
        if (first < 0 || last > max || first > last)
        {
            return false;
        }

        ref BitArray? bits = ref Bits(key);
        bits ??= new BitArray(max + 1);
        for (int value = first; value <= last; value++)
        {
            bits[value] = true;
        }

        return true;
    }

    /// <summary>Whether the rule may want packets of this IP protocol (no protocol declared: any).</summary>
    public bool AdmitsProtocol(byte protocol) => _protocols is null || _protocols[protocol];

    /// <summary>Whether the rule wants to see a packet that parsed as <paramref name="info"/>.</summary>
    public bool Admits(in PacketInfo info)
    {
        if (_protocols is not null && !_protocols[info.Protocol])
        {
            return false;
        }

        if (_ports is not null && !_ports[info.SourcePort] && !_ports[info.DestinationPort])
        {
            return false;
        }

        if (_sourcePorts is not null && !_sourcePorts[info.SourcePort])
        {
            return false;
        }

        return _destinationPorts is null || _destinationPorts[info.DestinationPort];
    }

    /// <summary>Whether the rule wants to see <paramref name="packet"/> (parsed here).</summary>
    public bool Admits(ReadOnlySpan<byte> packet) => !PacketParser.TryParse(packet, out PacketInfo info) || Admits(info);

    private ref BitArray? Bits(Key key)
    {
        switch (key)
        {
            case Key.Protocol: return ref _protocols;
            case Key.Port: return ref _ports;
            case Key.SourcePort: return ref _sourcePorts;
            default: return ref _destinationPorts;
        }
    }
}
