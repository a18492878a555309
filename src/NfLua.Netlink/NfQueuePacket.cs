using NfLua.Netlink.Wire;

namespace NfLua.Netlink;

/// <summary>
/// One queued packet, read in place from the receive buffer: valid until the next receive on its queue.
/// Absent attributes read as null (or empty spans).
/// </summary>
public readonly ref struct NfQueuePacket
{
    private readonly ReadOnlySpan<byte> _message;
    private readonly ref readonly PacketLayout _layout;

    internal NfQueuePacket(ReadOnlySpan<byte> message, ref readonly PacketLayout layout)
    {
        _message = message;
        _layout = ref layout;
    }

    /// <summary>The packet id: answer it with exactly one verdict.</summary>
    public uint Id => _layout.Id;

    /// <summary>The queue the packet came from.</summary>
    public ushort QueueNumber => _layout.QueueNumber;

    /// <summary>The link-layer protocol (an EtherType such as 0x0800 for IPv4), in host order.</summary>
    public ushort HardwareProtocol => _layout.HardwareProtocol;

    /// <summary>The hook the packet was queued from.</summary>
    public NetfilterHook Hook => (NetfilterHook)_layout.Hook;

    /// <summary>The packet's mark (NFQA_MARK); the kernel sends it only when non-zero.</summary>
    public uint? Mark => Get(PacketFields.Mark, _layout.Mark);

    /// <summary>The receive time, when some socket on the system asked for timestamps.</summary>
    public DateTimeOffset? Timestamp => _layout.Has(PacketFields.Timestamp) && _layout.TimestampSeconds < 253_402_300_799UL && _layout.TimestampMicroseconds < 1_000_000UL
        ? DateTimeOffset.FromUnixTimeSeconds((long)_layout.TimestampSeconds).AddTicks((long)_layout.TimestampMicroseconds * 10)
        : null;

    /// <summary>The input interface index.</summary>
    public uint? InputInterface => Get(PacketFields.InputInterface, _layout.InputInterface);

    /// <summary>The output interface index.</summary>
    public uint? OutputInterface => Get(PacketFields.OutputInterface, _layout.OutputInterface);

    /// <summary>The physical (bridge port) input interface index.</summary>
    public uint? PhysicalInputInterface => Get(PacketFields.PhysicalInputInterface, _layout.PhysicalInputInterface);

    /// <summary>The physical (bridge port) output interface index.</summary>
    public uint? PhysicalOutputInterface => Get(PacketFields.PhysicalOutputInterface, _layout.PhysicalOutputInterface);

    /// <summary>The source hardware address (at most 8 bytes), empty when absent.</summary>
    public ReadOnlySpan<byte> HardwareAddress => _layout.Has(PacketFields.HardwareAddress)
        ? _message.Slice(_layout.HardwareAddressOffset, _layout.HardwareAddressLength)
        : default;

    /// <summary>The uid of the local socket that sent the packet (queue bound with UID_GID).</summary>
    public uint? Uid => Get(PacketFields.Uid, _layout.Uid);

    /// <summary>The gid of the local socket that sent the packet (queue bound with UID_GID).</summary>
    public uint? Gid => Get(PacketFields.Gid, _layout.Gid);

    /// <summary>Checksum and segmentation state.</summary>
    public NfQueueSkbInfo SkbInfo => (NfQueueSkbInfo)_layout.SkbInfo;

    /// <summary>The packet's original length when <see cref="Payload"/> was cut at the copy range.</summary>
    public uint? CaptureLength => Get(PacketFields.CaptureLength, _layout.CaptureLength);

    /// <summary>skb->priority.</summary>
    public uint? Priority => Get(PacketFields.Priority, _layout.Priority);

    /// <summary>The security context, empty when absent.</summary>
    public ReadOnlySpan<byte> SecurityContext => _layout.Has(PacketFields.SecurityContext)
        ? _message.Slice(_layout.SecurityContextOffset, _layout.SecurityContextLength)
        : default;

    /// <summary>Whether the message carried a payload attribute (it may still be empty).</summary>
    public bool HasPayload => _layout.Has(PacketFields.Payload);

    /// <summary>The packet from its network header, up to the copy range; empty when absent.</summary>
    public ReadOnlySpan<byte> Payload => _layout.Has(PacketFields.Payload)
        ? _message.Slice(_layout.PayloadOffset, _layout.PayloadLength)
        : default;

    private uint? Get(PacketFields field, uint value) => _layout.Has(field) ? value : null;
}
