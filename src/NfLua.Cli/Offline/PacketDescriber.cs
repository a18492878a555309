using System.Globalization;
using NfLua.Packets;
using NfLua.Packets.Capture;

namespace NfLua.Cli.Offline;

/// <summary>Fills the descriptive part of a <see cref="PacketResult"/> from a packet's headers.</summary>
internal static class PacketDescriber
{
    public static PacketResult Describe(int index, ReadOnlySpan<byte> packet)
    {
        if (!PacketParser.TryParse(packet, out PacketInfo info))
        {
            return new PacketResult(index, string.Create(CultureInfo.InvariantCulture, $"unparsable IP packet, {packet.Length} bytes"), Length: packet.Length);
        }

        string source = IPAddressText.Format(info.GetSourceAddress(packet)) ?? "?";
        string destination = IPAddressText.Format(info.GetDestinationAddress(packet)) ?? "?";
        string protocol = ProtocolName(info.Protocol);
        bool hasPorts = info.HasTransportHeader && info.Protocol is IpProtocol.Tcp or IpProtocol.Udp;
        string description = hasPorts
            ? $"{Endpoint(source, info.Version, info.SourcePort)} -> {Endpoint(destination, info.Version, info.DestinationPort)} {protocol}"
            : $"{source} -> {destination} {protocol}";
        description += string.Create(CultureInfo.InvariantCulture, $" {info.Length} bytes");
        if (info.IsFragment)
        {
            description += " (fragment)";
        }
        else if (info.IsTruncated)
        {
            description += " (truncated)";
        }

        return new PacketResult(
            index,
            description,
            Source: source,
            Destination: destination,
            Protocol: protocol,
            SourcePort: hasPorts ? info.SourcePort : null,
            DestinationPort: hasPorts ? info.DestinationPort : null,
            Length: info.Length);
    }

    public static PacketResult Skipped(in CaptureRecord record)
    {
        string reason = record.SkipReason switch
        {
            CaptureSkipReason.NotIP => "not-ip",
            CaptureSkipReason.Truncated => "truncated",
            _ => "unsupported-link-type",
        };
        int linkType = (int)record.LinkType;
        string why = record.SkipReason switch
        {
            CaptureSkipReason.NotIP => "not IP",
            CaptureSkipReason.Truncated => "cut short by the capture",
            _ => string.Create(CultureInfo.InvariantCulture, $"link type {linkType} not readable"),
        };
        return new PacketResult(record.Index, $"skipped: {why}", Skipped: reason);
    }

    private static string Endpoint(string address, int version, ushort port) =>
        version == 6
            ? string.Create(CultureInfo.InvariantCulture, $"[{address}]:{port}")
            : string.Create(CultureInfo.InvariantCulture, $"{address}:{port}");

    private static string ProtocolName(byte protocol) => protocol switch
    {
        IpProtocol.Tcp => "tcp",
        IpProtocol.Udp => "udp",
        IpProtocol.Icmp => "icmp",
        IpProtocol.IcmpV6 => "icmpv6",
        _ => string.Create(CultureInfo.InvariantCulture, $"proto-{protocol}"),
    };
}
