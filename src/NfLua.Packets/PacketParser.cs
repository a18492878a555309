namespace NfLua.Packets;

/// <summary>Finds the headers, addresses, ports and payload of a packet that starts at its network header.</summary>
/// <remarks>Never throws and never allocates, whatever the bytes: odd packets give false or a flagged result.</remarks>
public static partial class PacketParser
{
    /// <summary>Parses an IPv4 or IPv6 packet.</summary>
    /// <param name="packet">The packet, from the first byte of its IP header.</param>
    /// <param name="info">Where things are; default when the method returns false.</param>
    /// <returns>
    /// False when the IP header itself is unusable: not version 4 or 6, shorter than its fixed part, an IPv4 header
    /// length below 20 or beyond the packet, an IPv4 total length shorter than its header, or an IPv6 extension
    /// header running past the packet. A transport header that is missing, cut short or malformed is not an error:
    /// <see cref="PacketInfo.HasTransportHeader"/> is then false.
    /// </returns>
    public static bool TryParse(ReadOnlySpan<byte> packet, out PacketInfo info)
    {
        info = default;
        if (packet.IsEmpty)
        {
            return false;
        }

        NetworkLayer network;
        bool parsed = (packet[0] >> 4) switch
        {
            4 => TryParseIPv4(packet, out network),
            6 => TryParseIPv6(packet, out network),
            _ => Fail(out network),
        };
        if (!parsed)
        {
            return false;
        }

        info = WithTransport(packet[..network.Length], network);
        return true;
    }

    private static bool Fail(out NetworkLayer network)
    {
        network = default;
        return false;
    }
}
