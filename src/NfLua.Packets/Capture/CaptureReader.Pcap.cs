using static NfLua.Packets.Capture.CaptureConstants;

namespace NfLua.Packets.Capture;

public sealed partial class CaptureReader
{
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
    }

    private IEnumerable<CaptureRecord> ReadPcapRecords()
    {
        int offset = PcapHeaderBytes;
        int index = 0;
        while (offset < _data.Length)
        {
            index++;
            (CaptureRecord record, offset) = ReadPcapRecord(offset, index);
            yield return record;
        }
    }

    private (CaptureRecord Record, int Next) ReadPcapRecord(int offset, int index)
    {
        ReadOnlySpan<byte> bytes = _data.Span[offset..];
        if (bytes.Length < PcapRecordHeaderBytes)
        {
            throw Error($"record {index} header cut short: the file ends {bytes.Length} bytes into its {PcapRecordHeaderBytes}-byte header");
        }

        uint seconds = _pcapOrder.ReadUInt32(bytes);
        uint fraction = _pcapOrder.ReadUInt32(bytes[4..]);
        uint captured = _pcapOrder.ReadUInt32(bytes[8..]);
        uint original = _pcapOrder.ReadUInt32(bytes[12..]);
        int available = bytes.Length - PcapRecordHeaderBytes;
        if (captured > available)
        {
            throw Error($"record {index} claims {captured} bytes, more than the file holds ({available} left)");
        }

        long nanoseconds = (seconds * 1_000_000_000L) + (_pcapNanoseconds ? fraction : fraction * 1_000L);
        ReadOnlyMemory<byte> frame = _data.Slice(offset + PcapRecordHeaderBytes, (int)captured);
        return (MakeRecord(index, nanoseconds, LinkType!.Value, frame, original), offset + PcapRecordHeaderBytes + (int)captured);
    }
}
