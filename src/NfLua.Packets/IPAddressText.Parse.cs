namespace NfLua.Packets;

public static partial class IPAddressText
{
    /// <summary>Parses address text.</summary>
    /// <param name="text">An IPv4 or IPv6 address (see the type's remarks for what is accepted).</param>
    /// <param name="destination">Where to write the address bytes; 16 bytes always suffice.</param>
    /// <param name="bytesWritten">4 for IPv4, 16 for IPv6; 0 when the method returns false.</param>
    /// <returns>False when the text is not an address or the destination is too small.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, Span<byte> destination, out int bytesWritten)
    {
        Span<byte> address = stackalloc byte[16];
        bytesWritten = text.Contains(':')
            ? (IPAddressParser.TryParseIPv6(text, address) ? 16 : 0)
            : (IPAddressParser.TryParseIPv4(text, address) ? 4 : 0);
        if (bytesWritten == 0 || !address[..bytesWritten].TryCopyTo(destination))
        {
            bytesWritten = 0;
            return false;
        }

        return true;
    }

    /// <summary>Parses address text given as UTF-8 bytes (a Lua string), without converting it to a string.</summary>
    /// <param name="utf8Text">An IPv4 or IPv6 address; anything but ASCII is refused.</param>
    /// <param name="destination">Where to write the address bytes; 16 bytes always suffice.</param>
    /// <param name="bytesWritten">4 for IPv4, 16 for IPv6; 0 when the method returns false.</param>
    /// <returns>False when the text is not an address or the destination is too small.</returns>
    public static bool TryParseUtf8(ReadOnlySpan<byte> utf8Text, Span<byte> destination, out int bytesWritten)
    {
        Span<char> text = stackalloc char[MaxLength];
        if (!AsciiText.TryWiden(utf8Text, text, out int length))
        {
            bytesWritten = 0;
            return false;
        }

        return TryParse(text[..length], destination, out bytesWritten);
    }
}
