using static NfLua.Packets.Capture.CaptureConstants;

namespace NfLua.Packets.Capture;

/// <summary>Writes a classic pcap capture to a stream (which it does not own): the file header at construction, then records.</summary>
public sealed class PcapWriter
{
    private readonly Stream _stream;
    private readonly CaptureByteOrder _order;
    private readonly bool _nanoseconds;

    /// <summary>Writes the file header.</summary>
    /// <param name="stream">Where the capture goes.</param>
    /// <param name="linkType">The link type of every record.</param>
    /// <param name="nanosecondTimestamps">True for the nanosecond magic (0xA1B23C4D), false for microseconds.</param>
    /// <param name="bigEndian">True to write the file in big-endian byte order.</param>
    /// <param name="snapLength">The snap length to declare.</param>
    public PcapWriter(Stream stream, CaptureLinkType linkType, bool nanosecondTimestamps = false, bool bigEndian = false, int snapLength = 262_144)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _order = new CaptureByteOrder(bigEndian);
        _nanoseconds = nanosecondTimestamps;
        LinkType = linkType;

        Span<byte> header = stackalloc byte[PcapHeaderBytes];
        header.Clear();
        _order.WriteUInt32(header, nanosecondTimestamps ? PcapNanosecondMagic : PcapMicrosecondMagic);
        _order.WriteUInt16(header[4..], 2);
        _order.WriteUInt16(header[6..], 4);
        _order.WriteUInt32(header[16..], (uint)snapLength);
        _order.WriteUInt32(header[20..], (uint)linkType);
        _stream.Write(header);
    }

    /// <summary>The link type declared in the file header.</summary>
    public CaptureLinkType LinkType { get; }

    /// <summary>Writes a frame as given (its link-layer header included).</summary>
    /// <param name="frame">The captured bytes.</param>
    /// <param name="timestampNanoseconds">Nanoseconds since the Unix epoch.</param>
    /// <param name="originalLength">The length on the wire; the frame's length when null. Larger values mark a record cut by the snap length.</param>
    public void WriteFrame(ReadOnlySpan<byte> frame, long timestampNanoseconds = 0, int? originalLength = null)
    {
        Span<byte> header = stackalloc byte[PcapRecordHeaderBytes];
        long seconds = Math.DivRem(timestampNanoseconds, 1_000_000_000L, out long nanoseconds);
        _order.WriteUInt32(header, (uint)seconds);
        _order.WriteUInt32(header[4..], (uint)(_nanoseconds ? nanoseconds : nanoseconds / 1_000));
        _order.WriteUInt32(header[8..], (uint)frame.Length);
        _order.WriteUInt32(header[12..], (uint)(originalLength ?? frame.Length));
        _stream.Write(header);
        _stream.Write(frame);
    }

    /// <summary>Writes an IP packet, adding the link-layer header <see cref="LinkType"/> calls for.</summary>
    /// <param name="ipPacket">The packet, from its IP header.</param>
    /// <param name="timestampNanoseconds">Nanoseconds since the Unix epoch.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="LinkType"/> is not one of the named <see cref="CaptureLinkType"/> values.</exception>
    public void WritePacket(ReadOnlySpan<byte> ipPacket, long timestampNanoseconds = 0) =>
        WriteFrame(LinkLayerFramer.Frame(LinkType, ipPacket), timestampNanoseconds);
}
