using System.Buffers.Binary;

namespace NfLua.Packets;

public static partial class PacketParser
{
    private const int IPv4MinHeaderLength = 20;
    private const ushort IPv4MoreFragments = 0x2000;
    private const ushort IPv4FragmentOffsetMask = 0x1FFF;

    private static bool TryParseIPv4(ReadOnlySpan<byte> packet, out NetworkLayer network)
    {
        network = default;
        if (packet.Length < IPv4MinHeaderLength)
        {
            return false;
        }

        int headerLength = (packet[0] & 0x0F) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (headerLength < IPv4MinHeaderLength || headerLength > packet.Length || totalLength < headerLength)
        {
            return false;
        }

        ushort flagsAndOffset = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        bool moreFragments = (flagsAndOffset & IPv4MoreFragments) != 0;
        // The field counts 8-byte units.
        int fragmentOffset = (flagsAndOffset & IPv4FragmentOffsetMask) * 8;

        network = new NetworkLayer(
            Version: 4,
            Length: Math.Min(totalLength, packet.Length),
            IsTruncated: totalLength > packet.Length,
            HeaderLength: headerLength,
            Protocol: packet[9],
            IsFragment: moreFragments || fragmentOffset != 0,
            MoreFragments: moreFragments,
            FragmentOffset: fragmentOffset,
            HasPendingRoute: HasPendingSourceRoute(packet[IPv4MinHeaderLength..headerLength]));
        return true;
    }

    // A loose or strict source route (RFC 791) whose pointer has not passed its end still has hops to visit: the
    // header's destination is then not the final one that transport checksums cover (RFC 1122 section 4.1.3.4).
    private static bool HasPendingSourceRoute(ReadOnlySpan<byte> options)
    {
        const byte EndOfOptions = 0;
        const byte NoOperation = 1;
        const byte LooseSourceRoute = 131;
        const byte StrictSourceRoute = 137;

        while (!options.IsEmpty && options[0] != EndOfOptions)
        {
            if (options[0] == NoOperation)
            {
                options = options[1..];
                continue;
            }

            if (options.Length < 2 || options[1] < 2 || options[1] > options.Length)
            {
                return false;
            }

            if ((options[0] is LooseSourceRoute or StrictSourceRoute) && options[1] >= 3 && options[2] <= options[1])
            {
                return true;
            }

            options = options[options[1]..];
        }

        return false;
    }
}
