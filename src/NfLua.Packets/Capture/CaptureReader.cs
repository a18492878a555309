using System.Buffers.Binary;
using static NfLua.Packets.Capture.CaptureConstants;

namespace NfLua.Packets.Capture;

/// <summary>Reads pcap and pcapng captures held in memory and yields each packet record's network layer.</summary>
/// <remarks>
/// pcap: both byte orders, microsecond and nanosecond magic. pcapng: any number of sections in either byte order,
/// interface description blocks (link type, snap length, timestamp resolution and offset), enhanced and simple packet
/// blocks; other blocks are skipped. Link types: <see cref="CaptureLinkType"/>. Whatever the bytes, the only exception
/// is <see cref="CaptureFormatException"/>, with a message naming the capture and the record or block at fault.
/// </remarks>
public sealed partial class CaptureReader
{
    private readonly ReadOnlyMemory<byte> _data;
    private readonly CaptureByteOrder _pcapOrder;
    private readonly bool _pcapNanoseconds;

    private CaptureReader(ReadOnlyMemory<byte> data, string name)
    {
        _data = data;
        Name = name;
        ReadOnlySpan<byte> bytes = data.Span;
        if (bytes.Length < 4)
        {
            throw Error($"too short to be a capture ({bytes.Length} bytes)");
        }

        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        if (magic == SectionHeaderBlock)
        {
            Format = CaptureFormat.PcapNg;
            return;
        }

        (_pcapOrder, _pcapNanoseconds) = magic switch
        {
            PcapMicrosecondMagic => (new CaptureByteOrder(false), false),
            PcapNanosecondMagic => (new CaptureByteOrder(false), true),
            _ when BinaryPrimitives.ReverseEndianness(magic) == PcapMicrosecondMagic => (new CaptureByteOrder(true), false),
            _ when BinaryPrimitives.ReverseEndianness(magic) == PcapNanosecondMagic => (new CaptureByteOrder(true), true),
            _ => throw Error($"not a pcap or pcapng capture (magic 0x{BinaryPrimitives.ReadUInt32BigEndian(bytes):X8})"),
        };
        Format = CaptureFormat.Pcap;
        ReadPcapHeader(bytes);
    }

    /// <summary>The name used in error messages (usually the file path).</summary>
    public string Name { get; }

    /// <summary>The capture's format.</summary>
    public CaptureFormat Format { get; }

    /// <summary>For pcap: the file's link type. For pcapng: null (each interface has its own).</summary>
    public CaptureLinkType? LinkType { get; private set; }

    /// <summary>Opens a capture held in memory and checks its file header.</summary>
    /// <param name="data">The whole capture file.</param>
    /// <param name="name">The name used in error messages.</param>
    /// <returns>The reader.</returns>
    /// <exception cref="CaptureFormatException">Neither a pcap nor a pcapng file, or its header is cut short.</exception>
    public static CaptureReader Open(ReadOnlyMemory<byte> data, string name) => new(data, name);

    /// <summary>Reads a whole stream into memory and opens it.</summary>
    /// <param name="stream">The capture.</param>
    /// <param name="name">The name used in error messages.</param>
    /// <returns>The reader.</returns>
    /// <exception cref="CaptureFormatException">Neither a pcap nor a pcapng file, or its header is cut short.</exception>
    /// <exception cref="IOException">Reading the stream failed.</exception>
    public static CaptureReader Open(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return new CaptureReader(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), name);
    }

    /// <summary>Reads a capture file and opens it; the path is the name in error messages.</summary>
    /// <param name="path">The capture file.</param>
    /// <returns>The reader.</returns>
    /// <exception cref="CaptureFormatException">Neither a pcap nor a pcapng file, or its header is cut short.</exception>
    /// <exception cref="IOException">Reading the file failed.</exception>
    public static CaptureReader OpenFile(string path) => new(File.ReadAllBytes(path), path);

    /// <summary>
    /// What was cut short at the end of the file, when the last record (or block) is incomplete, as a file written by a
    /// capture that was stopped, or copied while it was being written, ends: for example <c>record 12 is cut short: the
    /// file ends 40 bytes into its 70 bytes</c>. Set when enumeration reaches the end; null when the file ends cleanly.
    /// </summary>
    public string? CutShort { get; private set; }

    /// <summary>The packet records, in file order. Enumerating again starts over.</summary>
    /// <returns>One record per packet block; non-packet blocks are not returned. A last record the file ends inside is
    /// not returned either: enumeration stops there and <see cref="CutShort"/> says so.</returns>
    /// <exception cref="CaptureFormatException">A record or block is malformed (thrown when enumeration reaches it).</exception>
    public IEnumerable<CaptureRecord> ReadRecords()
    {
        CutShort = null;
        return Format == CaptureFormat.Pcap ? ReadPcapRecords() : ReadPcapNgRecords();
    }

    private static CaptureRecord MakeRecord(int index, long nanoseconds, CaptureLinkType linkType, ReadOnlyMemory<byte> frame, long originalLength)
    {
        if (originalLength > frame.Length)
        {
            return new CaptureRecord(index, nanoseconds, linkType, default, originalLength, CaptureSkipReason.Truncated);
        }

        CaptureSkipReason reason = LinkLayerDecoder.Decode(linkType, frame, out ReadOnlyMemory<byte> packet);
        return new CaptureRecord(index, nanoseconds, linkType, packet, originalLength, reason)
        {
            SourceHardwareAddress = reason == CaptureSkipReason.None ? LinkLayerDecoder.SourceAddress(linkType, frame) : default,
        };
    }

    private CaptureFormatException Error(string message) => new($"{Name}: {message}");
}
