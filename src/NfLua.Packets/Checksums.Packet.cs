using System.Buffers.Binary;

namespace NfLua.Packets;

public static partial class Checksums
{
    private const int IPv4ChecksumOffset = 10;
    private const int TcpChecksumOffset = 16;
    private const int UdpChecksumOffset = 6;
    private const int IcmpChecksumOffset = 2;

    /// <summary>Recomputes the header checksum of an IPv4 packet.</summary>
    /// <param name="packet">The packet, from the first byte of its IPv4 header.</param>
    /// <returns>False, with nothing changed, when the span does not start with a complete IPv4 header.</returns>
    public static bool RecomputeIPv4Header(Span<byte> packet)
    {
        if (packet.Length < 20 || packet[0] >> 4 != 4)
        {
            return false;
        }

        int headerLength = (packet[0] & 0x0F) * 4;
        if (headerLength < 20 || headerLength > packet.Length)
        {
            return false;
        }

        Span<byte> header = packet[..headerLength];
        BinaryPrimitives.WriteUInt16BigEndian(header[IPv4ChecksumOffset..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(header[IPv4ChecksumOffset..], InternetChecksum(header));
        return true;
    }

    /// <summary>
    /// Makes every checksum of an IPv4 or IPv6 packet right again after its bytes changed: the IPv4 header checksum,
    /// then the TCP, UDP, ICMP (IPv4) or ICMPv6 (IPv6) checksum, with the pseudo-header where the protocol has one.
    /// </summary>
    /// <param name="packet">The packet, from the first byte of its IP header.</param>
    /// <returns>
    /// True when every checksum that can be known from these bytes is now right. That includes fragments (only the
    /// IPv4 header checksum changes: a transport checksum covers the whole datagram) and protocols without a
    /// checksum NfLua knows (nothing to do past the IP header). False for packets that cannot be parsed, and for a
    /// TCP/UDP/ICMP packet whose transport checksum cannot be computed: transport header or payload cut short, UDP
    /// length inconsistent with the IP length, or a source route with hops left (the pseudo-header would need the
    /// final destination). A false result changes at most the IPv4 header checksum, which is then right.
    /// </returns>
    /// <remarks>
    /// A UDP checksum that computes to 0 is stored as 0xFFFF (0 means "no checksum"). An IPv4 UDP datagram sent
    /// without a checksum (field 0) keeps it that way, which stays valid whatever changed.
    /// </remarks>
    public static bool TryRecompute(Span<byte> packet)
    {
        if (!PacketParser.TryParse(packet, out PacketInfo info))
        {
            return false;
        }

        if (info.Version == 4)
        {
            RecomputeIPv4Header(packet);
        }

        if (info.IsFragment || !HasTransportChecksum(info))
        {
            return true;
        }

        if (info.IsTruncated || !info.HasTransportHeader || info.HasPendingRoute)
        {
            return false;
        }

        Span<byte> bytes = packet[..info.Length];
        Span<byte> segment = bytes[info.TransportOffset..];
        return info.Protocol switch
        {
            IpProtocol.Tcp => StoreTransportChecksum(bytes, info, segment, TcpChecksumOffset, withPseudoHeader: true),
            IpProtocol.Udp => TryRecomputeUdp(bytes, info, segment),
            IpProtocol.Icmp => StoreTransportChecksum(bytes, info, segment, IcmpChecksumOffset, withPseudoHeader: false),
            _ => StoreTransportChecksum(bytes, info, segment, IcmpChecksumOffset, withPseudoHeader: true),
        };
    }

    /// <summary>
    /// Whether a TCP segment's checksum is right: false for a wrong one, and for anything it cannot check (not TCP, a
    /// fragment, cut short). Only meaningful where the checksum is complete (not left for the device to finish).
    /// </summary>
    public static bool IsTcpChecksumValid(ReadOnlySpan<byte> packet, in PacketInfo info)
    {
        if (info.Protocol != IpProtocol.Tcp || info.IsFragment || info.IsTruncated || !info.HasTransportHeader || info.HasPendingRoute)
        {
            return false;
        }

        ReadOnlySpan<byte> segment = packet[info.TransportOffset..info.Length];
        return Finish(Add(PseudoHeaderSum(packet, info, segment.Length), segment)) == 0;
    }

    private static bool HasTransportChecksum(in PacketInfo info) => info.Protocol switch
    {
        IpProtocol.Tcp or IpProtocol.Udp => true,
        IpProtocol.Icmp => info.Version == 4,
        IpProtocol.IcmpV6 => info.Version == 6,
        _ => false,
    };

    private static bool TryRecomputeUdp(ReadOnlySpan<byte> packet, in PacketInfo info, Span<byte> segment)
    {
        int datagramLength = BinaryPrimitives.ReadUInt16BigEndian(segment[4..]);
        if (datagramLength < 8 || datagramLength > segment.Length)
        {
            return false;
        }

        if (info.Version == 4 && BinaryPrimitives.ReadUInt16BigEndian(segment[UdpChecksumOffset..]) == 0)
        {
            return true;
        }

        return StoreTransportChecksum(packet, info, segment[..datagramLength], UdpChecksumOffset, withPseudoHeader: true);
    }

    private static bool StoreTransportChecksum(
        ReadOnlySpan<byte> packet, in PacketInfo info, Span<byte> segment, int checksumOffset, bool withPseudoHeader)
    {
        BinaryPrimitives.WriteUInt16BigEndian(segment[checksumOffset..], 0);
        ulong sum = withPseudoHeader ? PseudoHeaderSum(packet, info, segment.Length) : 0;
        ushort checksum = Finish(Add(sum, segment));
        // In UDP, 0 means "no checksum" (RFC 768, RFC 8200 section 8.1): a computed 0 is sent as its other form.
        if (checksum == 0 && info.Protocol == IpProtocol.Udp)
        {
            checksum = 0xFFFF;
        }

        BinaryPrimitives.WriteUInt16BigEndian(segment[checksumOffset..], checksum);
        return true;
    }

    // RFC 793/768 (IPv4: addresses, zero, protocol, length) and RFC 8200 section 8.1 (IPv6: addresses, 32-bit
    // length, zeros, next header). Word order does not matter to a ones' complement sum.
    private static ulong PseudoHeaderSum(ReadOnlySpan<byte> packet, in PacketInfo info, int upperLayerLength)
    {
        ulong sum = Add(0, info.GetSourceAddress(packet));
        sum = Add(sum, info.GetDestinationAddress(packet));
        return sum + info.Protocol + (uint)upperLayerLength;
    }
}
