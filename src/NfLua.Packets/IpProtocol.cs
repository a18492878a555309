namespace NfLua.Packets;

/// <summary>IANA protocol numbers (IPv4 protocol, IPv6 next header) that NfLua looks inside.</summary>
public static class IpProtocol
{
    /// <summary>IPv6 hop-by-hop options header.</summary>
    public const byte HopByHop = 0;

    /// <summary>ICMP for IPv4.</summary>
    public const byte Icmp = 1;

    /// <summary>TCP.</summary>
    public const byte Tcp = 6;

    /// <summary>UDP.</summary>
    public const byte Udp = 17;

    /// <summary>Generic routing encapsulation (RFC 2784).</summary>
    public const byte Gre = 47;

    /// <summary>IPv6 routing header.</summary>
    public const byte Routing = 43;

    /// <summary>IPv6 fragment header.</summary>
    public const byte Fragment = 44;

    /// <summary>Encapsulating security payload: its contents are encrypted, so parsing stops there.</summary>
    public const byte Esp = 50;

    /// <summary>Authentication header.</summary>
    public const byte AuthenticationHeader = 51;

    /// <summary>ICMP for IPv6.</summary>
    public const byte IcmpV6 = 58;

    /// <summary>IPv6 "no next header".</summary>
    public const byte NoNextHeader = 59;

    /// <summary>IPv6 destination options header.</summary>
    public const byte DestinationOptions = 60;

    /// <summary>Stream Control Transmission Protocol (RFC 9260).</summary>
    public const byte Sctp = 132;
}
