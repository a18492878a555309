namespace NfLua.Netlink.Wire;

/// <summary>
/// What the parser found in one PACKET message: scalar attributes decoded, variable ones as offsets into the
/// message (never copied). Offsets are relative to the start of the message's nlmsghdr.
/// </summary>
internal struct PacketLayout
{
    public PacketFields Fields;
    public ushort QueueNumber;
    public uint Id;
    public ushort HardwareProtocol;
    public byte Hook;
    public uint Mark;
    public ulong TimestampSeconds;
    public ulong TimestampMicroseconds;
    public uint InputInterface;
    public uint OutputInterface;
    public uint PhysicalInputInterface;
    public uint PhysicalOutputInterface;
    public uint CaptureLength;
    public uint SkbInfo;
    public uint Uid;
    public uint Gid;
    public uint Priority;
    public int PayloadOffset;
    public int PayloadLength;
    public int HardwareAddressOffset;
    public int HardwareAddressLength;
    public int SecurityContextOffset;
    public int SecurityContextLength;

    public readonly bool Has(PacketFields field) => (Fields & field) != 0;
}
