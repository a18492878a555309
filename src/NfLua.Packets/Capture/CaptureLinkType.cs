namespace NfLua.Packets.Capture;

/// <summary>Link-layer header types (tcpdump.org LINKTYPE_ values) that captures carry; the readable ones are named.</summary>
public enum CaptureLinkType
{
    /// <summary>LINKTYPE_NULL (0): BSD loopback, a 4-byte address family in the capturing host's byte order.</summary>
    Null = 0,

    /// <summary>LINKTYPE_ETHERNET (1): a 14-byte Ethernet header, possibly followed by stacked 802.1Q/802.1ad VLAN tags
    /// and a PPPoE session header.</summary>
    Ethernet = 1,

    /// <summary>LINKTYPE_PPP (9): PPP, with or without its HDLC address and control bytes (RFC 1661).</summary>
    Ppp = 9,

    /// <summary>LINKTYPE_PPP_HDLC (50): PPP in HDLC-like framing (RFC 1662); Cisco HDLC frames are found there too.</summary>
    PppHdlc = 50,

    /// <summary>LINKTYPE_RAW (101): the packet starts at its IPv4 or IPv6 header.</summary>
    Raw = 101,

    /// <summary>LINKTYPE_C_HDLC (104): Cisco HDLC, an address, a control byte and an EtherType.</summary>
    CiscoHdlc = 104,

    /// <summary>LINKTYPE_LOOP (108): OpenBSD loopback, a 4-byte address family in network byte order.</summary>
    Loop = 108,

    /// <summary>LINKTYPE_LINUX_SLL (113): Linux "cooked" capture, 16-byte header (tcpdump -i any).</summary>
    LinuxSll = 113,

    /// <summary>LINKTYPE_IPV4 (228): raw IPv4 only.</summary>
    IPv4 = 228,

    /// <summary>LINKTYPE_IPV6 (229): raw IPv6 only.</summary>
    IPv6 = 229,

    /// <summary>LINKTYPE_LINUX_SLL2 (276): Linux "cooked" capture v2, 20-byte header.</summary>
    LinuxSll2 = 276,
}
