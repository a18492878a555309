using System.Buffers.Binary;

namespace NfLua.Packets;

/// <summary>
/// Strict, allocation-free parsing of address text: IPv4 as four decimal numbers without leading zeros, IPv6 in the
/// RFC 4291 section 2.2 forms (optionally one <c>::</c>, optionally a trailing dotted IPv4), without zone or brackets.
/// </summary>
/// <remarks>
/// <see cref="System.Net.IPAddress"/> also takes inet_aton forms ("10.1" is 10.0.0.1, "0x0a.1" and octal parts), and
/// allocates: a rule author writing "10.1" almost certainly meant something else, and scripts parse per packet.
/// </remarks>
internal static class IPAddressParser
{
    private const int IPv6Groups = 8;

    public static bool TryParseIPv4(ReadOnlySpan<char> text, Span<byte> address)
    {
        if (text.IsEmpty || text.Length > 15)
        {
            return false;
        }

        int parts = 0;
        foreach (Range range in text.Split('.'))
        {
            if (parts == 4 || !TryParseOctet(text[range], out address[parts]))
            {
                return false;
            }

            parts++;
        }

        return parts == 4;
    }

    public static bool TryParseIPv6(ReadOnlySpan<char> text, Span<byte> address)
    {
        if (text.Length < 2 || text.Length > IPAddressText.MaxLength)
        {
            return false;
        }

        Span<ushort> groups = stackalloc ushort[IPv6Groups];
        int count = 0;
        int gap = -1;
        int at = 0;
        if (text.StartsWith("::"))
        {
            gap = 0;
            at = 2;
        }

        while (at < text.Length)
        {
            int start = at;
            while (at < text.Length && at - start <= 4 && char.IsAsciiHexDigit(text[at]))
            {
                at++;
            }

            if (at < text.Length && text[at] == '.')
            {
                // A dotted IPv4 tail fills the last two groups.
                Span<byte> tail = stackalloc byte[4];
                if (count > IPv6Groups - 2 || !TryParseIPv4(text[start..], tail))
                {
                    return false;
                }

                groups[count++] = BinaryPrimitives.ReadUInt16BigEndian(tail);
                groups[count++] = BinaryPrimitives.ReadUInt16BigEndian(tail[2..]);
                break;
            }

            int digits = at - start;
            if (digits is 0 or > 4 || count == IPv6Groups)
            {
                return false;
            }

            int group = 0;
            foreach (char c in text[start..at])
            {
                group = (group << 4) | HexValue(c); // 1 to 4 hex digits, checked above
            }

            groups[count++] = (ushort)group;
            if (at == text.Length)
            {
                break;
            }

            if (text[at] != ':' || ++at == text.Length)
            {
                // Anything but a separator, or a single colon at the very end.
                return false;
            }

            if (text[at] == ':')
            {
                if (gap >= 0)
                {
                    return false;
                }

                gap = count;
                at++;
            }
        }

        // "::" stands for at least one zero group.
        if (gap < 0 ? count != IPv6Groups : count >= IPv6Groups)
        {
            return false;
        }

        int zeros = IPv6Groups - count;
        int afterGap = gap < 0 ? count : gap;
        for (int group = 0, source = 0; group < IPv6Groups; group++)
        {
            bool inGap = group >= afterGap && group < afterGap + zeros;
            ushort value = inGap ? (ushort)0 : groups[source++];
            BinaryPrimitives.WriteUInt16BigEndian(address[(group * 2)..], value);
        }

        return true;
    }

    /// <summary>
    /// IPv4 text as UTF-8, straight from the bytes: the same strict form as <see cref="TryParseIPv4(ReadOnlySpan{char}, Span{byte})"/>
    /// (four decimal numbers 0-255 without leading zeros), the address as a number (its first byte the highest).
    /// </summary>
    public static bool TryParseIPv4(ReadOnlySpan<byte> text, out uint address)
    {
        address = 0;
        if (text.Length is < 7 or > 15)
        {
            return false;
        }

        uint value = 0;
        int parts = 0, digits = 0;
        foreach (byte c in text)
        {
            if (c == (byte)'.')
            {
                if (digits == 0 || parts == 3 || value > 255)
                {
                    return false;
                }

                address = (address << 8) | value;
                parts++;
                value = 0;
                digits = 0;
                continue;
            }

            uint digit = (uint)(c - (byte)'0');
            if (digit > 9 || (digits == 1 && value == 0) || digits == 3)
            {
                return false; // not a digit, a leading zero, or a fourth digit
            }

            value = (value * 10) + digit;
            digits++;
        }

        if (digits == 0 || parts != 3 || value > 255)
        {
            return false;
        }

        address = (address << 8) | value;
        return true;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static bool TryParseOctet(ReadOnlySpan<char> part, out byte octet)
    {
        octet = 0;
        // "010" means 8 to inet_aton and 10 to most readers: refuse the ambiguity.
        if (part.IsEmpty || part.Length > 3 || (part.Length > 1 && part[0] == '0'))
        {
            return false;
        }

        int value = 0;
        foreach (char c in part)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        if (value > 255)
        {
            return false;
        }

        octet = (byte)value;
        return true;
    }
}
