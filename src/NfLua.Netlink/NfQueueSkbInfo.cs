namespace NfLua.Netlink;

/// <summary>NFQA_SKB_INFO flags: the packet's checksum and segmentation state.</summary>
[Flags]
public enum NfQueueSkbInfo : uint
{
    /// <summary>No flags, or no NFQA_SKB_INFO attribute.</summary>
    None = 0,

    /// <summary>NFQA_SKB_CSUMNOTREADY: the checksums look wrong but will be completed by the device.</summary>
    ChecksumNotReady = 1 << 0,

    /// <summary>NFQA_SKB_GSO: the packet is a GSO super-packet larger than the device MTU.</summary>
    Gso = 1 << 1,

    /// <summary>NFQA_SKB_CSUM_NOTVERIFIED: the checksum has not been verified.</summary>
    ChecksumNotVerified = 1 << 2,
}
