using System.Buffers.Binary;

namespace NfLua.Packets;

/// <summary>Formats and parses IPv4 and IPv6 addresses held as raw bytes (4 or 16, network order).</summary>
/// <remarks>
/// Nothing here allocates except <see cref="Format"/>'s result. Formatting: IPv4 is dotted decimal. IPv6 follows
/// RFC 5952: lower-case hex without leading zeros, the longest run of two or more zero groups (the first of equal
/// runs) shortened to <c>::</c>, and IPv4-mapped addresses as <c>::ffff:a.b.c.d</c> (section 5). Parsing is strict: IPv4 is exactly four decimal numbers from 0 to 255 without
/// leading zeros (no inet_aton shorthands such as <c>10.1</c>), IPv6 any RFC 4291 text form (hex groups, at most one
/// <c>::</c>, an optional dotted IPv4 tail) without zone or brackets.
/// </remarks>
public static partial class IPAddressText
{
    /// <summary>The longest text either form can produce.</summary>
    public const int MaxLength = 45;

    /// <summary>Formats an address into <paramref name="destination"/>.</summary>
    /// <param name="address">4 bytes (IPv4) or 16 bytes (IPv6), network order.</param>
    /// <param name="destination">Where to write; <see cref="MaxLength"/> characters always suffice.</param>
    /// <param name="charsWritten">Characters written; 0 when the method returns false.</param>
    /// <returns>False when the address is not 4 or 16 bytes long or the destination is too small.</returns>
    public static bool TryFormat(ReadOnlySpan<byte> address, Span<char> destination, out int charsWritten)
    {
        Span<char> text = stackalloc char[MaxLength];
        int length = address.Length switch
        {
            4 => FormatIPv4(address, text),
            16 => FormatIPv6(address, text),
            _ => -1,
        };
        if (length < 0 || !text[..length].TryCopyTo(destination))
        {
            charsWritten = 0;
            return false;
        }

        charsWritten = length;
        return true;
    }

    /// <summary>Formats an address as a new string.</summary>
    /// <param name="address">4 bytes (IPv4) or 16 bytes (IPv6), network order.</param>
    /// <returns>The text, or <see langword="null"/> when the address is not 4 or 16 bytes long.</returns>
    public static string? Format(ReadOnlySpan<byte> address)
    {
        Span<char> text = stackalloc char[MaxLength];
        return TryFormat(address, text, out int length) ? new string(text[..length]) : null;
    }

    private static int FormatIPv4(ReadOnlySpan<byte> address, Span<char> text)
    {
        int at = 0;
        for (int i = 0; i < 4; i++)
        {
            if (i > 0)
            {
                text[at++] = '.';
            }

            address[i].TryFormat(text[at..], out int written, default, System.Globalization.CultureInfo.InvariantCulture);
            at += written;
        }

        return at;
    }

    private static int FormatIPv6(ReadOnlySpan<byte> address, Span<char> text)
    {
        if (IsIPv4Mapped(address))
        {
            "::ffff:".CopyTo(text);
            return 7 + FormatIPv4(address[12..], text[7..]);
        }

        (int zeroStart, int zeroLength) = LongestZeroRun(address);
        int at = 0;
        for (int group = 0; group < 8; group++)
        {
            if (group == zeroStart)
            {
                text[at++] = ':';
                text[at++] = ':';
                group += zeroLength - 1;
                continue;
            }

            if (at > 0 && text[at - 1] != ':')
            {
                text[at++] = ':';
            }

            ushort value = BinaryPrimitives.ReadUInt16BigEndian(address[(group * 2)..]);
            value.TryFormat(text[at..], out int written, "x", System.Globalization.CultureInfo.InvariantCulture);
            at += written;
        }

        return at;
    }

    private static bool IsIPv4Mapped(ReadOnlySpan<byte> address) =>
        address[..10].IndexOfAnyExcept((byte)0) < 0 && address[10] == 0xFF && address[11] == 0xFF;

    // RFC 5952 section 4.2: only runs of at least two groups are shortened; the first of equal runs wins.
    private static (int Start, int Length) LongestZeroRun(ReadOnlySpan<byte> address)
    {
        int bestStart = -1;
        int bestLength = 1;
        int runStart = -1;
        for (int group = 0; group <= 8; group++)
        {
            bool zero = group < 8 && address[group * 2] == 0 && address[(group * 2) + 1] == 0;
            if (zero && runStart < 0)
            {
                runStart = group;
            }
            else if (!zero && runStart >= 0)
            {
                if (group - runStart > bestLength)
                {
                    bestStart = runStart;
                    bestLength = group - runStart;
                }

                runStart = -1;
            }
        }

        return (bestStart, bestLength);
    }
}
