using System.Collections.Frozen;
using System.Collections.ObjectModel;

namespace NfLua.Packets;

/// <summary>
/// The predefined layouts of the protocols every rule needs, as data: field names and positions follow the RFC header
/// diagrams, each layout counting from the start of its own header.
/// </summary>
/// <remarks>
/// <para>Layouts, by key (every number field big-endian):</para>
/// <list type="bullet">
/// <item><c>ipv4</c> (RFC 791): version, ihl (in 4-byte words), tos, dscp, ecn, length (total length), id, flags
/// (3 bits), df, mf, frag_offset (in 8-byte units), ttl, protocol, checksum, src, dst (addresses as 32-bit
/// numbers).</item>
/// <item><c>ipv6</c> (RFC 8200): version, traffic_class, dscp, ecn, flow_label, payload_length, next_header,
/// hop_limit, src, dst (addresses as 16-byte strings).</item>
/// <item><c>tcp</c> (RFC 9293): src_port, dst_port, seq, ack_seq (the acknowledgement number), data_offset (in
/// 4-byte words), flags (the 8 flag bits), cwr, ece, urg, ack, psh, rst, syn, fin (1-bit flags, so <c>ack</c> is the
/// flag as in Linux's <c>struct tcphdr</c>), window, checksum, urgent.</item>
/// <item><c>udp</c> (RFC 768): src_port, dst_port, length, checksum.</item>
/// <item><c>icmp</c> (RFC 792) and <c>icmpv6</c> (RFC 4443): type, code, checksum, and id and seq, which mean
/// something for echo request and reply only.</item>
/// <item><c>gre</c> (RFC 2784, RFC 2890): checksum_present, key_present, seq_present (1-bit flags), version (3 bits),
/// protocol (the EtherType of what it carries: 0x0800 IPv4, 0x86DD IPv6, 0x880B PPP...). The optional checksum, key
/// and sequence number follow at offsets that depend on the flags.</item>
/// <item><c>sctp</c> (RFC 9260, the common header and the first chunk's header): src_port, dst_port,
/// verification_tag, checksum (CRC32c), chunk_type (1 is INIT, 0 DATA), chunk_flags, chunk_length.</item>
/// </list>
/// </remarks>
public static class BuiltInLayouts
{
    /// <summary>Layouts by protocol name (<c>ipv4</c>, <c>ipv6</c>, <c>tcp</c>, <c>udp</c>, <c>icmp</c>, <c>icmpv6</c>, <c>gre</c>, <c>sctp</c>).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<LayoutFieldSpec>> All { get; } =
        new Dictionary<string, IReadOnlyList<LayoutFieldSpec>>(StringComparer.Ordinal)
        {
            ["ipv4"] = Fields(
                Number("version", 0, 4),
                Number("ihl", 4, 4),
                Number("tos", 8, 8),
                Number("dscp", 8, 6),
                Number("ecn", 14, 2),
                Number("length", 16, 16),
                Number("id", 32, 16),
                Number("flags", 48, 3),
                Number("df", 49, 1),
                Number("mf", 50, 1),
                Number("frag_offset", 51, 13),
                Number("ttl", 64, 8),
                Number("protocol", 72, 8),
                Number("checksum", 80, 16),
                Number("src", 96, 32),
                Number("dst", 128, 32)),
            ["ipv6"] = Fields(
                Number("version", 0, 4),
                Number("traffic_class", 4, 8),
                Number("dscp", 4, 6),
                Number("ecn", 10, 2),
                Number("flow_label", 12, 20),
                Number("payload_length", 32, 16),
                Number("next_header", 48, 8),
                Number("hop_limit", 56, 8),
                Bytes("src", 64, 128),
                Bytes("dst", 192, 128)),
            ["tcp"] = Fields(
                Number("src_port", 0, 16),
                Number("dst_port", 16, 16),
                Number("seq", 32, 32),
                Number("ack_seq", 64, 32),
                Number("data_offset", 96, 4),
                Number("flags", 104, 8),
                Number("cwr", 104, 1),
                Number("ece", 105, 1),
                Number("urg", 106, 1),
                Number("ack", 107, 1),
                Number("psh", 108, 1),
                Number("rst", 109, 1),
                Number("syn", 110, 1),
                Number("fin", 111, 1),
                Number("window", 112, 16),
                Number("checksum", 128, 16),
                Number("urgent", 144, 16)),
            ["udp"] = Fields(
                Number("src_port", 0, 16),
                Number("dst_port", 16, 16),
                Number("length", 32, 16),
                Number("checksum", 48, 16)),
            ["icmp"] = IcmpFields(),
            ["icmpv6"] = IcmpFields(),
            ["gre"] = Fields(
                Number("checksum_present", 0, 1),
                Number("key_present", 2, 1),
                Number("seq_present", 3, 1),
                Number("version", 13, 3),
                Number("protocol", 16, 16)),
            ["sctp"] = Fields(
                Number("src_port", 0, 16),
                Number("dst_port", 16, 16),
                Number("verification_tag", 32, 32),
                Number("checksum", 64, 32),
                Number("chunk_type", 96, 8),
                Number("chunk_flags", 104, 8),
                Number("chunk_length", 112, 16)),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    private static ReadOnlyCollection<LayoutFieldSpec> IcmpFields() => Fields(
        Number("type", 0, 8),
        Number("code", 8, 8),
        Number("checksum", 16, 16),
        Number("id", 32, 16),
        Number("seq", 48, 16));

    private static ReadOnlyCollection<LayoutFieldSpec> Fields(params LayoutFieldSpec[] fields) => Array.AsReadOnly(fields);

    private static LayoutFieldSpec Number(string name, long bitOffset, int bitLength) =>
        new(name, bitOffset, bitLength, LayoutFieldKind.Number, Endianness.Big);

    private static LayoutFieldSpec Bytes(string name, long bitOffset, int bitLength) =>
        new(name, bitOffset, bitLength, LayoutFieldKind.String, Endianness.Big);
}
