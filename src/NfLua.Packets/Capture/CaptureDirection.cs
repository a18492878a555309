namespace NfLua.Packets.Capture;

/// <summary>Which way a packet went through its interface, as a pcapng enhanced packet block's flags say (epb_flags).</summary>
public enum CaptureDirection
{
    /// <summary>The capture does not say (classic pcap, or no flags).</summary>
    Unknown = 0,

    /// <summary>Received on the interface.</summary>
    Inbound = 1,

    /// <summary>Sent on the interface.</summary>
    Outbound = 2,
}
