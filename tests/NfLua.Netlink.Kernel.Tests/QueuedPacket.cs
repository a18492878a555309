namespace NfLua.Netlink.Kernel.Tests;

/// <summary>A copy of what a test needs from a packet view (views die at the next receive).</summary>
internal sealed record QueuedPacket(
    uint Id, ushort QueueNumber, ushort HardwareProtocol, NetfilterHook Hook, uint? Mark, uint? OutputInterface,
    uint? Uid, uint? Gid, byte[] Payload)
{
    public static QueuedPacket From(NfQueuePacket p) =>
        new(p.Id, p.QueueNumber, p.HardwareProtocol, p.Hook, p.Mark, p.OutputInterface, p.Uid, p.Gid, p.Payload.ToArray());

    /// <summary>The UDP payload of an IPv4 packet.</summary>
    public byte[] UdpData => Payload[((Payload[0] & 0xF) * 4 + 8)..];

    public int UdpDestinationPort => (Payload[((Payload[0] & 0xF) * 4) + 2] << 8) | Payload[((Payload[0] & 0xF) * 4) + 3];
}
