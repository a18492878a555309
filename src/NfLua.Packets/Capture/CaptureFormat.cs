namespace NfLua.Packets.Capture;

/// <summary>The file format of a capture.</summary>
public enum CaptureFormat
{
    /// <summary>Classic libpcap format, microsecond or nanosecond timestamps, either byte order.</summary>
    Pcap,

    /// <summary>pcapng: sections, interface descriptions and packet blocks.</summary>
    PcapNg,
}
