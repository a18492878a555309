using System.Buffers.Binary;

namespace NfLua.Packets;

public static partial class PacketParser
{
    private const int IPv6HeaderLength = 40;
    private const int IPv6FragmentHeaderLength = 8;

    private static bool TryParseIPv6(ReadOnlySpan<byte> packet, out NetworkLayer network)
    {
        network = default;
        if (packet.Length < IPv6HeaderLength)
        {
            return false;
        }

        int declaredLength = IPv6HeaderLength + BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        int length = Math.Min(declaredLength, packet.Length);
        ReadOnlySpan<byte> bytes = packet[..length];

        byte next = bytes[6];
        int offset = IPv6HeaderLength;
        bool isFragment = false;
        bool moreFragments = false;
        int fragmentOffset = 0;
        bool pendingRoute = false;

        // Every extension header is at least 8 bytes long, so the walk ends within length / 8 steps.
        bool walking = true;
        while (walking)
        {
            int headerLength;
            switch (next)
            {
                case IpProtocol.HopByHop or IpProtocol.Routing or IpProtocol.DestinationOptions:
                    if (offset + 2 > length)
                    {
                        return false;
                    }

                    // Hdr Ext Len counts 8-byte units after the first 8 bytes (RFC 8200 section 4.3).
                    headerLength = (bytes[offset + 1] + 1) * 8;
                    if (offset + headerLength > length)
                    {
                        return false;
                    }

                    // Segments Left is the fourth byte of every routing header type.
                    pendingRoute |= next == IpProtocol.Routing && bytes[offset + 3] != 0;
                    break;

                case IpProtocol.Fragment:
                    headerLength = IPv6FragmentHeaderLength;
                    if (offset + headerLength > length)
                    {
                        return false;
                    }

                    ushort offsetAndFlags = BinaryPrimitives.ReadUInt16BigEndian(bytes[(offset + 2)..]);
                    isFragment = true;
                    moreFragments = (offsetAndFlags & 1) != 0;
                    // A 13-bit count of 8-byte units in the top bits: masking the flags leaves it in bytes.
                    fragmentOffset = offsetAndFlags & 0xFFF8;
                    // After a non-first fragment header come the middle bytes of the original payload.
                    walking = fragmentOffset == 0;
                    break;

                case IpProtocol.AuthenticationHeader:
                    if (offset + 2 > length)
                    {
                        return false;
                    }

                    // AH counts 4-byte units, minus 2 (RFC 4302 section 2.2).
                    headerLength = (bytes[offset + 1] + 2) * 4;
                    if (offset + headerLength > length)
                    {
                        return false;
                    }

                    break;

                default:
                    // ESP, no-next-header, or an upper-layer protocol.
                    walking = false;
                    continue;
            }

            next = bytes[offset];
            offset += headerLength;
        }

        network = new NetworkLayer(
            Version: 6,
            Length: length,
            IsTruncated: declaredLength > packet.Length,
            HeaderLength: offset,
            Protocol: next,
            IsFragment: isFragment,
            MoreFragments: moreFragments,
            FragmentOffset: fragmentOffset,
            HasPendingRoute: pendingRoute);
        return true;
    }
}
