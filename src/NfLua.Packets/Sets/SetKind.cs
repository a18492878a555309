namespace NfLua.Packets.Sets;

/// <summary>What a named set holds and how it matches.</summary>
public enum SetKind
{
    /// <summary>IPv4 and IPv6 networks: an address matches when some network of the set contains it.</summary>
    Cidr,

    /// <summary>Domain names: a name matches when it or a domain above it is in the set (case-insensitive, a trailing dot ignored).</summary>
    Domain,

    /// <summary>Strings: a string matches when it is in the set, byte for byte (configuration: kind = "string").</summary>
    Exact,
}
