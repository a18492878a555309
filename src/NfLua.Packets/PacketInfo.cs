namespace NfLua.Packets;

/// <summary>
/// Where things are in one IPv4 or IPv6 packet that starts at its network header, as found by
/// <see cref="PacketParser.TryParse"/>. Holds offsets into the packet, never its bytes.
/// </summary>
/// <remarks>
/// Only meaningful when <see cref="PacketParser.TryParse"/> returned true (the default value describes no packet).
/// Offsets count bytes from the start of the network header. Everything lies inside the first <see cref="Length"/>
/// bytes of the span the packet was parsed from, so slicing that span with these offsets cannot fail.
/// </remarks>
public readonly struct PacketInfo
{
    /// <summary>IP version: 4 or 6.</summary>
    public int Version { get; internal init; }

    /// <summary>
    /// Bytes of the span that belong to the packet: the smaller of the length the IP header claims (IPv4 total
    /// length, IPv6 40 + payload length) and the span's length. Bytes after it (link padding) are ignored.
    /// </summary>
    public int Length { get; internal init; }

    /// <summary>True when the span is shorter than the IP header says (a capture cut short).</summary>
    public bool IsTruncated { get; internal init; }

    /// <summary>
    /// Length of the network header: IPv4 header with its options, or the IPv6 header with every extension header
    /// walked (hop-by-hop, routing, fragment, destination options, authentication).
    /// </summary>
    public int NetworkHeaderLength { get; internal init; }

    /// <summary>
    /// Protocol of what follows the network header (<see cref="IpProtocol"/>): the IPv4 protocol field, or for IPv6
    /// the next header after the last extension header walked (ESP 50 and no-next-header 59 stop the walk).
    /// </summary>
    public byte Protocol { get; internal init; }

    /// <summary>Offset of the transport header; always equal to <see cref="NetworkHeaderLength"/>.</summary>
    public int TransportOffset => NetworkHeaderLength;

    /// <summary>
    /// True when a complete TCP, UDP, ICMP (IPv4) or ICMPv6 (IPv6) header lies inside <see cref="Length"/>. Never true
    /// for a fragment other than the first, whose bytes continue an earlier header or payload.
    /// </summary>
    public bool HasTransportHeader { get; internal init; }

    /// <summary>
    /// True when the bytes at <see cref="TransportOffset"/> start this packet's transport: a complete TCP, UDP, ICMP or
    /// ICMPv6 header (<see cref="HasTransportHeader"/>), or any other protocol's bytes (GRE, SCTP, ESP, IP-in-IP...),
    /// whose header NfLua does not parse. False for a fragment other than the first, and for a known protocol whose
    /// header is cut short or malformed.
    /// </summary>
    public bool HasTransport { get; internal init; }

    /// <summary>
    /// Bytes from <see cref="TransportOffset"/> to where the transport ends when <see cref="HasTransport"/>: the end of
    /// the IP packet (<see cref="Length"/>), or for UDP the datagram's own length when that is shorter; otherwise 0.
    /// </summary>
    public int TransportLength { get; internal init; }

    /// <summary>
    /// Length of the transport header when <see cref="HasTransportHeader"/>: TCP data offset × 4 (options included),
    /// 8 for UDP, ICMP and ICMPv6; otherwise 0.
    /// </summary>
    public int TransportHeaderLength { get; internal init; }

    /// <summary>Offset of the transport payload (after the transport header when there is one).</summary>
    public int PayloadOffset { get; internal init; }

    /// <summary>
    /// Length of the payload present in the span: up to <see cref="Length"/>, and for UDP no further than the
    /// datagram's own length field says.
    /// </summary>
    public int PayloadLength { get; internal init; }

    /// <summary>Length of each address: 4 for IPv4, 16 for IPv6.</summary>
    public int AddressLength => Version == 4 ? 4 : 16;

    /// <summary>Offset of the source address (12 for IPv4, 8 for IPv6).</summary>
    public int SourceAddressOffset => Version == 4 ? 12 : 8;

    /// <summary>Offset of the destination address (16 for IPv4, 24 for IPv6).</summary>
    public int DestinationAddressOffset => Version == 4 ? 16 : 24;

    /// <summary>TCP or UDP source port when <see cref="HasTransportHeader"/>; otherwise 0.</summary>
    public ushort SourcePort { get; internal init; }

    /// <summary>TCP or UDP destination port when <see cref="HasTransportHeader"/>; otherwise 0.</summary>
    public ushort DestinationPort { get; internal init; }

    /// <summary>TCP flags byte (CWR ECE URG ACK PSH RST SYN FIN, most significant first) for TCP; otherwise 0.</summary>
    public byte TcpFlags { get; internal init; }

    /// <summary>True for any fragment: IPv4 with more-fragments set or a non-zero offset, IPv6 with a fragment header.</summary>
    public bool IsFragment { get; internal init; }

    /// <summary>True for a fragment at offset 0: the only fragment that carries the transport header.</summary>
    public bool IsFirstFragment => IsFragment && FragmentOffset == 0;

    /// <summary>The more-fragments flag.</summary>
    public bool MoreFragments { get; internal init; }

    /// <summary>Offset of this fragment's data in the original datagram, in bytes (0 when not a fragment).</summary>
    public int FragmentOffset { get; internal init; }

    /// <summary>
    /// True when the packet is source-routed with hops left (an IPv4 loose/strict source route option, or an IPv6
    /// routing header with segments left): its transport checksum then covers the final destination, not the one in
    /// the IP header.
    /// </summary>
    public bool HasPendingRoute { get; internal init; }

    /// <summary>The source address bytes.</summary>
    /// <param name="packet">The span this info was parsed from.</param>
    /// <returns>A slice of <paramref name="packet"/>.</returns>
    public ReadOnlySpan<byte> GetSourceAddress(ReadOnlySpan<byte> packet) => packet.Slice(SourceAddressOffset, AddressLength);

    /// <summary>The destination address bytes.</summary>
    /// <param name="packet">The span this info was parsed from.</param>
    /// <returns>A slice of <paramref name="packet"/>.</returns>
    public ReadOnlySpan<byte> GetDestinationAddress(ReadOnlySpan<byte> packet) => packet.Slice(DestinationAddressOffset, AddressLength);

    /// <summary>The transport header bytes (empty when <see cref="HasTransportHeader"/> is false).</summary>
    /// <param name="packet">The span this info was parsed from.</param>
    /// <returns>A slice of <paramref name="packet"/>.</returns>
    public ReadOnlySpan<byte> GetTransportHeader(ReadOnlySpan<byte> packet) => packet.Slice(TransportOffset, TransportHeaderLength);

    /// <summary>The payload bytes present in the packet.</summary>
    /// <param name="packet">The span this info was parsed from.</param>
    /// <returns>A slice of <paramref name="packet"/>.</returns>
    public ReadOnlySpan<byte> GetPayload(ReadOnlySpan<byte> packet) => packet.Slice(PayloadOffset, PayloadLength);
}
