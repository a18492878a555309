using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace NfLua.Packets;

/// <summary>The address half of <see cref="Cidr.TryParse(ReadOnlySpan{char}, out Cidr, out string?)"/>, with its error messages.</summary>
internal static class CidrAddressParser
{
    public static bool TryParse(ReadOnlySpan<char> text, out int version, out UInt128 address, [NotNullWhen(false)] out string? error)
    {
        version = 0;
        address = UInt128.Zero;
        Span<byte> bytes = stackalloc byte[16];
        if (text.IsEmpty)
        {
            error = "the address is missing";
            return false;
        }

        if (text.Contains(':'))
        {
            if (!IPAddressParser.TryParseIPv6(text, bytes))
            {
                error = "not a valid IPv6 address (no zone, no brackets)";
                return false;
            }

            version = 6;
            address = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        }
        else
        {
            if (!IPAddressParser.TryParseIPv4(text, bytes))
            {
                error = "an IPv4 address is four numbers from 0 to 255 separated by dots, without leading zeros";
                return false;
            }

            version = 4;
            address = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        }

        error = null;
        return true;
    }
}
