namespace NfLua.Packets.Capture;

/// <summary>Why a record has no network-layer packet to filter.</summary>
public enum CaptureSkipReason
{
    /// <summary>Not skipped: <see cref="CaptureRecord.Packet"/> starts at an IPv4 or IPv6 header.</summary>
    None,

    /// <summary>The frame carries something other than IPv4 or IPv6 (ARP, more than two VLAN tags, ...).</summary>
    NotIP,

    /// <summary>The capture holds less than the whole packet (snap length) or less than its link-layer header.</summary>
    Truncated,

    /// <summary>The interface's link type is not one NfLua reads.</summary>
    UnsupportedLinkType,
}
