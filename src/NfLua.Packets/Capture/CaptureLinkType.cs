namespace NfLua.Packets.Capture;

/// <summary>Link-layer header types (tcpdump.org LINKTYPE_ values) that captures carry; the readable ones are named.</summary>
public enum CaptureLinkType
{
    /// <summary>LINKTYPE_ETHERNET (1): a 14-byte Ethernet header, possibly followed by 802.1Q/802.1ad VLAN tags.</summary>
    Ethernet = 1,

    /// <summary>LINKTYPE_RAW (101): the packet starts at its IPv4 or IPv6 header.</summary>
    Raw = 101,

    /// <summary>LINKTYPE_LINUX_SLL (113): Linux "cooked" capture, 16-byte header (tcpdump -i any).</summary>
    LinuxSll = 113,

    /// <summary>LINKTYPE_IPV4 (228): raw IPv4 only.</summary>
    IPv4 = 228,

    /// <summary>LINKTYPE_IPV6 (229): raw IPv6 only.</summary>
    IPv6 = 229,

    /// <summary>LINKTYPE_LINUX_SLL2 (276): Linux "cooked" capture v2, 20-byte header.</summary>
    LinuxSll2 = 276,
}
