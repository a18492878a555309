using System.Buffers.Binary;

namespace NfLua.Packets.Tests;

/// <summary>
/// Checks a transport checksum the way a receiver does: the sum over pseudo-header, header and data, stored checksum
/// included, must be all ones. The pseudo-header is assembled here byte by byte, apart from the code under test.
/// </summary>
internal static class ChecksumOracle
{
    /// <summary>True when the packet has a transport checksum that a receiver would verify.</summary>
    public static bool Applies(byte[] packet, PacketInfo info) =>
        !info.IsFragment && !info.IsTruncated && info.HasTransportHeader && !info.HasPendingRoute &&
        (info.Protocol is IpProtocol.Tcp ||
         (info.Protocol is IpProtocol.Udp && !(info.Version == 4 && BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(info.TransportOffset + 6)) == 0)) ||
         (info.Protocol is IpProtocol.Icmp && info.Version == 4) ||
         (info.Protocol is IpProtocol.IcmpV6 && info.Version == 6));

    public static bool Verifies(byte[] packet, PacketInfo info)
    {
        byte[] segment = packet[info.TransportOffset..(info.PayloadOffset + info.PayloadLength)];
        if (info.Protocol == IpProtocol.Icmp)
        {
            return Checksums.InternetChecksum(segment) == 0;
        }

        byte[] pseudo = info.Version == 4
            ? [.. packet.AsSpan(12, 8), 0, info.Protocol, (byte)(segment.Length >> 8), (byte)segment.Length]
            : [.. packet.AsSpan(8, 32), 0, 0, (byte)(segment.Length >> 8), (byte)segment.Length, 0, 0, 0, info.Protocol];
        return Checksums.InternetChecksum([.. pseudo, .. segment]) == 0;
    }
}
