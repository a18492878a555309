namespace NfLua.Packets.Capture;

/// <summary>One packet record of a capture, reduced to its network layer.</summary>
/// <param name="Index">The record's 1-based number among the file's packet records (as Wireshark counts them).</param>
/// <param name="TimestampNanoseconds">Nanoseconds since the Unix epoch; 0 when the record has no timestamp (pcapng simple packets).</param>
/// <param name="LinkType">The link type of the interface that captured it.</param>
/// <param name="Packet">The bytes from the IP header on (link-layer padding removed); empty when <see cref="SkipReason"/> is set.</param>
/// <param name="OriginalLength">The length of the frame on the wire, link-layer header included.</param>
/// <param name="SkipReason">Why there is no packet, or <see cref="CaptureSkipReason.None"/>.</param>
public readonly record struct CaptureRecord(
    int Index,
    long TimestampNanoseconds,
    CaptureLinkType LinkType,
    ReadOnlyMemory<byte> Packet,
    long OriginalLength,
    CaptureSkipReason SkipReason)
{
    /// <summary>The name of the interface that captured it (pcapng's if_name option); null when the capture does not say.</summary>
    public string? InterfaceName { get; init; }

    /// <summary>The frame's source hardware address (Ethernet's source MAC, Linux cooked captures' address field);
    /// empty for link types without one.</summary>
    public ReadOnlyMemory<byte> SourceHardwareAddress { get; init; }

    /// <summary>Whether the packet came in or went out (pcapng's epb_flags option).</summary>
    public CaptureDirection Direction { get; init; }

    /// <summary>True when the record has no packet to filter.</summary>
    public bool IsSkipped => SkipReason != CaptureSkipReason.None;

    /// <summary>The timestamp as a date (100 ns precision).</summary>
    public DateTimeOffset Timestamp => DateTimeOffset.UnixEpoch.AddTicks(TimestampNanoseconds / 100);
}
