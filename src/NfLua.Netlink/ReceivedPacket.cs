using NfLua.Netlink.Wire;

namespace NfLua.Netlink;

/// <summary>Where one parsed packet message sits in the receive slots.</summary>
internal struct ReceivedPacket
{
    public int Slot;
    public int Start;
    public int Length;
    public PacketLayout Layout;
}
