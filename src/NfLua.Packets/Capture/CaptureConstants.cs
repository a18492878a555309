namespace NfLua.Packets.Capture;

/// <summary>Magic numbers and block types of pcap (libpcap's savefile.c) and pcapng (draft-ietf-opsawg-pcapng).</summary>
internal static class CaptureConstants
{
    public const uint PcapMicrosecondMagic = 0xA1B2C3D4;
    public const uint PcapNanosecondMagic = 0xA1B23C4D;
    public const int PcapHeaderBytes = 24;
    public const int PcapRecordHeaderBytes = 16;

    public const uint SectionHeaderBlock = 0x0A0D0D0A;
    public const uint InterfaceDescriptionBlock = 1;
    public const uint SimplePacketBlock = 3;
    public const uint EnhancedPacketBlock = 6;
    public const uint ByteOrderMagic = 0x1A2B3C4D;
    public const ushort OptionEnd = 0;
    public const ushort OptionTimestampResolution = 9;
    public const ushort OptionTimestampOffset = 14;

    /// <summary>Block type, block length, and the trailing copy of the length.</summary>
    public const int BlockOverheadBytes = 12;

    public const ushort EtherTypeIPv4 = 0x0800;
    public const ushort EtherTypeIPv6 = 0x86DD;
    public const ushort EtherTypeVlan = 0x8100;
    public const ushort EtherTypeQinQ = 0x88A8;
    public const ushort EtherTypeVlanOld = 0x9100;
    public const ushort EtherTypePppoeSession = 0x8864;

    public const ushort PppIPv4 = 0x0021;
    public const ushort PppIPv6 = 0x0057;

    public const ushort OptionName = 2;
    public const ushort OptionPacketFlags = 2;
}
