using System.Buffers.Binary;
using static NfLua.Packets.Capture.CaptureConstants;

namespace NfLua.Packets.Capture;

internal static partial class LinkLayerDecoder
{
    private const byte CiscoUnicast = 0x0F;
    private const byte CiscoBroadcast = 0x8F;
    private const byte HdlcAllStations = 0xFF;
    private const byte HdlcUnnumbered = 0x03;

    // BSD's AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD, OpenBSD), 28 (FreeBSD), 30 (macOS), 10 (Linux).
    private const uint AddressFamilyIPv4 = 2;

    /// <summary>The loopback header: an address family written in the capturing host's byte order (DLT_NULL) or in
    /// network order (DLT_LOOP). A family never exceeds 16 bits, so the order that gives a small number is the one.</summary>
    private static CaptureSkipReason SkipLoopback(ReadOnlySpan<byte> bytes, out int version)
    {
        version = 0;
        if (bytes.Length < LoopbackHeaderBytes)
        {
            return CaptureSkipReason.Truncated;
        }

        uint family = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        if (family > 0xFFFF)
        {
            family = BinaryPrimitives.ReverseEndianness(family);
        }

        version = family switch
        {
            AddressFamilyIPv4 => 4,
            10 or 24 or 28 or 30 => 6,
            _ => 0,
        };
        return version == 0 ? CaptureSkipReason.NotIP : CaptureSkipReason.None;
    }

    /// <summary>PPP (RFC 1661): the HDLC address and control bytes when present (RFC 1662), then the protocol,
    /// one byte when compressed (an odd first byte, RFC 1661 section 6.5).</summary>
    private static CaptureSkipReason SkipPpp(ReadOnlySpan<byte> bytes, out int offset)
    {
        offset = bytes.Length >= 2 && bytes[0] == HdlcAllStations && bytes[1] == HdlcUnnumbered ? 2 : 0;
        if (bytes.Length <= offset)
        {
            return CaptureSkipReason.Truncated;
        }

        ushort protocol;
        if ((bytes[offset] & 1) != 0)
        {
            protocol = bytes[offset];
            offset += 1;
        }
        else if (bytes.Length >= offset + 2)
        {
            protocol = BinaryPrimitives.ReadUInt16BigEndian(bytes[offset..]);
            offset += 2;
        }
        else
        {
            return CaptureSkipReason.Truncated;
        }

        return protocol is PppIPv4 or PppIPv6 ? CaptureSkipReason.None : CaptureSkipReason.NotIP;
    }
}
