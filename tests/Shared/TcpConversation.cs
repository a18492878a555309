using System.Buffers.Binary;

namespace NfLua.Testing;

/// <summary>
/// Writes the packets of one TCP connection between a client and a server, IPv4 or IPv6, with real sequence and
/// acknowledgement numbers from chosen ISNs (checksums left zero: NfLua's streams do not look at them).
/// Offsets are stream offsets: 0 is the first byte after the SYN.
/// </summary>
public sealed class TcpConversation(bool ipv6 = false, uint clientIsn = 0xFFFF_FF00, uint serverIsn = 77_000, ushort window = 65535, byte windowScale = 7)
{
    public const byte Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10;

    public ushort ClientPort { get; init; } = 40000;

    public ushort ServerPort { get; init; } = 443;

    public byte ClientHost { get; init; } = 1;

    /// <summary>Whether packets carry right IP and TCP checksums (else zeros).</summary>
    public bool Checksums { get; init; }

    /// <summary>The packet with its TCP checksum made wrong.</summary>
    public static byte[] WithWrongChecksum(byte[] packet)
    {
        byte[] copy = [.. packet];
        int tcp = (copy[0] >> 4) == 6 ? 40 : (copy[0] & 0x0F) * 4;
        copy[tcp + 16] ^= 0x5A;
        return copy;
    }

    public byte[] ClientSyn(byte[]? data = null) => Packet(fromClient: true, clientIsn, 0, Syn, data ?? [], options: [3, 3, windowScale, 1]);

    public byte[] ServerSynAck() => Packet(fromClient: false, serverIsn, clientIsn + 1, Syn | Ack, [], options: [3, 3, windowScale, 1]);

    public byte[] ClientAck() => ClientData(0, []);

    /// <summary>A client segment carrying <paramref name="data"/> at stream offset <paramref name="offset"/>.</summary>
    public byte[] ClientData(long offset, byte[] data, byte flags = Psh | Ack) =>
        Packet(fromClient: true, clientIsn + 1 + (uint)offset, serverIsn + 1, flags, data);

    /// <summary>The server acknowledging the client's bytes up to <paramref name="offset"/>, with the window it advertises (scaled).</summary>
    public byte[] ServerAckOf(long offset, ushort? advertised = null) =>
        Packet(fromClient: false, serverIsn + 1, clientIsn + 1 + (uint)offset, Ack, [], window: advertised);

    /// <summary>A server segment carrying <paramref name="data"/> at the server's stream offset <paramref name="offset"/>, acknowledging the client's bytes up to <paramref name="acked"/>.</summary>
    public byte[] ServerData(long offset, byte[] data, long acked = 0, byte flags = Psh | Ack) =>
        Packet(fromClient: false, serverIsn + 1 + (uint)offset, clientIsn + 1 + (uint)acked, flags, data);

    /// <summary>The client acknowledging the server's bytes up to <paramref name="offset"/>.</summary>
    public byte[] ClientAckOf(long offset) =>
        Packet(fromClient: true, clientIsn + 1, serverIsn + 1 + (uint)offset, Ack, []);

    public byte[] ClientRst(long offset) => Packet(fromClient: true, clientIsn + 1 + (uint)offset, 0, Rst, []);

    /// <summary>The three packets of the handshake.</summary>
    public IEnumerable<byte[]> Handshake() => [ClientSyn(), ServerSynAck(), ClientAck()];

    private byte[] Packet(bool fromClient, uint seq, uint ack, byte flags, byte[] data, byte[]? options = null, ushort? window = null)
    {
        options ??= [];
        int tcpLength = 20 + options.Length;
        var tcp = new byte[tcpLength + data.Length];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, fromClient ? ClientPort : ServerPort);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(2), fromClient ? ServerPort : ClientPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(4), seq);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(8), ack);
        tcp[12] = (byte)((tcpLength / 4) << 4);
        tcp[13] = flags;
        ushort advertised = (flags & Syn) != 0 ? (ushort)65535 : (window ?? _window);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(14), advertised);
        options.CopyTo(tcp, 20);
        data.CopyTo(tcp, tcpLength);
        byte[] client = ipv6 ? [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ClientHost] : [10, 0, 0, ClientHost];
        byte[] server = ipv6 ? [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 200] : [10, 0, 0, 200];
        byte[] source = fromClient ? client : server;
        byte[] destination = fromClient ? server : client;
        if (ipv6)
        {
            var packet6 = new byte[40 + tcp.Length];
            packet6[0] = 0x60;
            BinaryPrimitives.WriteUInt16BigEndian(packet6.AsSpan(4), (ushort)tcp.Length);
            packet6[6] = 6;
            packet6[7] = 64;
            source.CopyTo(packet6, 8);
            destination.CopyTo(packet6, 24);
            tcp.CopyTo(packet6, 40);
            return Finish(packet6);
        }

        var packet = new byte[20 + tcp.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64;
        packet[9] = 6;
        source.CopyTo(packet, 12);
        destination.CopyTo(packet, 16);
        tcp.CopyTo(packet, 20);
        return Finish(packet);
    }

    private readonly ushort _window = window;

    private byte[] Finish(byte[] packet)
    {
        if (Checksums)
        {
            NfLua.Packets.Checksums.TryRecompute(packet);
        }

        return packet;
    }
}
