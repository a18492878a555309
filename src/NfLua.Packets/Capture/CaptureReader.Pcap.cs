using static NfLua.Packets.Capture.CaptureConstants;

namespace NfLua.Packets.Capture;

public sealed partial class CaptureReader
{
    /// <summary>libpcap's MAXIMUM_SNAPLEN: a record may be this long even when the file header declares less.</summary>
    private const uint MaxPlausibleRecordBytes = 262_144;

    private uint _pcapMaxRecord;

    private void ReadPcapHeader(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < PcapHeaderBytes)
        {
            throw Error($"pcap file header cut short: {bytes.Length} of {PcapHeaderBytes} bytes");
        }

        ushort major = _pcapOrder.ReadUInt16(bytes[4..]);
        if (major != 2)
        {
            throw Error($"pcap version {major}.{_pcapOrder.ReadUInt16(bytes[6..])} is not supported (2.x is)");
        }

        // The upper bits of the link-type field carry FCS information, not the link type.
        LinkType = (CaptureLinkType)(_pcapOrder.ReadUInt32(bytes[20..]) & 0xFFFF);
        _pcapMaxRecord = Math.Max(_pcapOrder.ReadUInt32(bytes[16..]), MaxPlausibleRecordBytes);
    }

    private IEnumerable<CaptureRecord> ReadPcapRecords()
    {
        int offset = PcapHeaderBytes;
        int index = 0;
        while (offset < _data.Length)
        {
            index++;
            (CaptureRecord? record, offset) = ReadPcapRecord(offset, index);
            if (record is not CaptureRecord complete)
            {
                yield break;
            }

            yield return complete;
        }
    }

    /// <summary>One record, or null (with <see cref="CutShort"/> set) when the file ends inside it.</summary>
    private (CaptureRecord? Record, int Next) ReadPcapRecord(int offset, int index)
    {
        ReadOnlySpan<byte> bytes = _data.Span[offset..];
        if (bytes.Length < PcapRecordHeaderBytes)
        {
            CutShort = $"record {index} is cut short: the file ends {bytes.Length} bytes into its {PcapRecordHeaderBytes}-byte header";
            return (null, _data.Length);
        }

        uint seconds = _pcapOrder.ReadUInt32(bytes);
        uint fraction = _pcapOrder.ReadUInt32(bytes[4..]);
        uint captured = _pcapOrder.ReadUInt32(bytes[8..]);
        uint original = _pcapOrder.ReadUInt32(bytes[12..]);
        int available = bytes.Length - PcapRecordHeaderBytes;
        if (captured > _pcapMaxRecord)
        {
            // Not a cut: a length no capture writes (libpcap refuses it the same way).
            throw Error($"record {index} claims {captured} bytes, more than a record may hold ({_pcapMaxRecord}, the larger of the snap length and {MaxPlausibleRecordBytes})");
        }

        if (captured > available)
        {
            CutShort = $"record {index} is cut short: the file ends {available} bytes into its {captured} bytes";
            return (null, _data.Length);
        }

        long nanoseconds = (seconds * 1_000_000_000L) + (_pcapNanoseconds ? fraction : fraction * 1_000L);
        ReadOnlyMemory<byte> frame = _data.Slice(offset + PcapRecordHeaderBytes, (int)captured);
        return (MakeRecord(index, nanoseconds, LinkType!.Value, frame, original), offset + PcapRecordHeaderBytes + (int)captured);
    }
}
