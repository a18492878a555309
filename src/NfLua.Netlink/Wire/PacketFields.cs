namespace NfLua.Netlink.Wire;

/// <summary>Which optional attributes a packet message carried.</summary>
[Flags]
internal enum PacketFields
{
    None = 0,
    Mark = 1 << 0,
    Timestamp = 1 << 1,
    InputInterface = 1 << 2,
    OutputInterface = 1 << 3,
    PhysicalInputInterface = 1 << 4,
    PhysicalOutputInterface = 1 << 5,
    HardwareAddress = 1 << 6,
    Payload = 1 << 7,
    CaptureLength = 1 << 8,
    SkbInfo = 1 << 9,
    Uid = 1 << 10,
    Gid = 1 << 11,
    SecurityContext = 1 << 12,
    Priority = 1 << 13,
}
