using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace NfLua.Packets;

/// <summary>An IPv4 or IPv6 network in CIDR notation, such as <c>10.0.0.0/8</c> or <c>2001:db8::/32</c>.</summary>
/// <remarks>
/// Parsing is strict, so a typo in a rule is reported instead of silently matching something else: IPv4 must be four
/// decimal numbers without leading zeros, and the address may have no bits set after the prefix. An IPv4 network
/// never contains an IPv6 address (IPv4-mapped ones included), nor the reverse. The default value contains nothing.
/// Parsing a valid network allocates nothing; only the error message of a refused one is a new string.
/// </remarks>
public readonly struct Cidr : IEquatable<Cidr>
{
    // The longest IPv6 text and "/128".
    private const int MaxTextLength = IPAddressText.MaxLength + 4;

    // Addresses as big-endian numbers: IPv4 in the low 32 bits.
    private readonly UInt128 _network;
    private readonly UInt128 _mask;

    private Cidr(int version, UInt128 network, int prefixLength)
    {
        Version = version;
        PrefixLength = prefixLength;
        _mask = MaskFor(version, prefixLength);
        _network = network;
    }

    /// <summary>IP version: 4 or 6 (0 for the default value).</summary>
    public int Version { get; }

    /// <summary>Number of leading bits that every address of the network shares.</summary>
    public int PrefixLength { get; }

    /// <summary>The network's first address as a big-endian number (IPv4 in the low 32 bits).</summary>
    public UInt128 First => _network;

    /// <summary>The network's last address as a big-endian number (IPv4 in the low 32 bits).</summary>
    public UInt128 Last => _network | (~_mask & (Version == 4 ? uint.MaxValue : UInt128.MaxValue));

    /// <summary>Parses CIDR text; a bare address means a single host (<c>/32</c> or <c>/128</c>).</summary>
    /// <param name="text">The text, e.g. <c>192.168.0.0/16</c>, <c>::1</c>.</param>
    /// <param name="cidr">The network; default when the method returns false.</param>
    /// <param name="error">Why the text was refused, in a sentence for the user; null on success.</param>
    /// <returns>True when the text is a valid network.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out Cidr cidr, [NotNullWhen(false)] out string? error)
    {
        cidr = default;
        int slash = text.IndexOf('/');
        ReadOnlySpan<char> addressText = slash < 0 ? text : text[..slash];
        if (!CidrAddressParser.TryParse(addressText, out int version, out UInt128 address, out error))
        {
            error = $"'{Shown(text)}' is not a network: {error}";
            return false;
        }

        int maxPrefix = version == 4 ? 32 : 128;
        int prefix = maxPrefix;
        if (slash >= 0 && !TryParsePrefix(text[(slash + 1)..], maxPrefix, out prefix))
        {
            error = $"'{Shown(text)}' is not a network: the prefix length after '/' must be a number from 0 to {maxPrefix} for IPv{version}";
            return false;
        }

        var parsed = new Cidr(version, address, prefix);
        if ((address & ~parsed._mask) != 0)
        {
            var network = new Cidr(version, address & parsed._mask, prefix);
            error = $"'{Shown(text)}' has bits set after its /{prefix} prefix: did you mean {network}?";
            return false;
        }

        cidr = parsed;
        error = null;
        return true;
    }

    /// <summary>Parses CIDR text given as UTF-8 bytes (a Lua string), without converting it to a string.</summary>
    /// <param name="utf8Text">The text; anything but ASCII is refused.</param>
    /// <param name="cidr">The network; default when the method returns false.</param>
    /// <param name="error">Why the text was refused, in a sentence for the user; null on success.</param>
    /// <returns>True when the text is a valid network.</returns>
    public static bool TryParseUtf8(ReadOnlySpan<byte> utf8Text, out Cidr cidr, [NotNullWhen(false)] out string? error)
    {
        Span<char> text = stackalloc char[MaxTextLength];
        if (!AsciiText.TryWiden(utf8Text, text, out int length))
        {
            cidr = default;
            error = $"a network is at most {MaxTextLength} ASCII characters, such as '10.0.0.0/8' or '2001:db8::/32'";
            return false;
        }

        return TryParse(text[..length], out cidr, out error);
    }

    /// <summary>Parses CIDR text, throwing on invalid input (for configuration code).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The network.</returns>
    /// <exception cref="FormatException">The text is not a valid network; the message says why.</exception>
    public static Cidr Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out Cidr cidr, out string? error) ? cidr : throw new FormatException(error);
    }

    /// <summary>Tests whether an address belongs to the network, without allocating.</summary>
    /// <param name="address">4 bytes (IPv4) or 16 bytes (IPv6), network order.</param>
    /// <returns>False for an address of the other version or of any other length.</returns>
    public bool Contains(ReadOnlySpan<byte> address)
    {
        UInt128 value;
        if (Version == 4 && address.Length == 4)
        {
            value = BinaryPrimitives.ReadUInt32BigEndian(address);
        }
        else if (Version == 6 && address.Length == 16)
        {
            value = BinaryPrimitives.ReadUInt128BigEndian(address);
        }
        else
        {
            return false;
        }

        return (value & _mask) == _network;
    }

    /// <inheritdoc/>
    public bool Equals(Cidr other) => Version == other.Version && PrefixLength == other.PrefixLength && _network == other._network;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Cidr other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Version, PrefixLength, _network);

    /// <summary>The network in CIDR notation, e.g. <c>10.0.0.0/8</c> (empty for the default value).</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        if (Version == 0)
        {
            return string.Empty;
        }

        Span<byte> bytes = stackalloc byte[16];
        if (Version == 4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)_network);
            bytes = bytes[..4];
        }
        else
        {
            BinaryPrimitives.WriteUInt128BigEndian(bytes, _network);
        }

        return string.Create(CultureInfo.InvariantCulture, $"{IPAddressText.Format(bytes)}/{PrefixLength}");
    }

    /// <summary>Compares two networks for equality.</summary>
    /// <param name="left">A network.</param>
    /// <param name="right">Another network.</param>
    /// <returns>True when they are equal.</returns>
    public static bool operator ==(Cidr left, Cidr right) => left.Equals(right);

    /// <summary>Compares two networks for inequality.</summary>
    /// <param name="left">A network.</param>
    /// <param name="right">Another network.</param>
    /// <returns>True when they differ.</returns>
    public static bool operator !=(Cidr left, Cidr right) => !left.Equals(right);

    // A script may pass any string: quote no more of it than a person reads in a log line.
    private static ReadOnlySpan<char> Shown(ReadOnlySpan<char> text) => text.Length <= 64 ? text : text[..64];

    private static UInt128 MaskFor(int version, int prefixLength)
    {
        int bits = version == 4 ? 32 : 128;
        UInt128 all = version == 4 ? uint.MaxValue : UInt128.MaxValue;
        // A shift by the full width is not zero in C#, so /0 is spelled out.
        return prefixLength == 0 ? UInt128.Zero : all & (all << (bits - prefixLength));
    }

    private static bool TryParsePrefix(ReadOnlySpan<char> text, int maxPrefix, out int prefix)
    {
        prefix = 0;
        if (text.IsEmpty || text.Length > 3)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            prefix = (prefix * 10) + (c - '0');
        }

        return prefix <= maxPrefix;
    }
}
