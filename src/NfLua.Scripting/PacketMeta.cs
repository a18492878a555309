using System.Runtime.InteropServices;

namespace NfLua.Scripting;

/// <summary>The netfilter hook a packet was queued from (<c>nflua.meta(pkt).hook</c>).</summary>
public enum PacketHook : byte
{
    /// <summary>Before routing, on the way in.</summary>
    Prerouting = 0,

    /// <summary>Addressed to this host.</summary>
    Input = 1,

    /// <summary>Routed through this host.</summary>
    Forward = 2,

    /// <summary>Sent by this host.</summary>
    Output = 3,

    /// <summary>After routing, on the way out.</summary>
    Postrouting = 4,

    /// <summary>Not known (a capture that does not say, for instance): <c>hook</c> reads nil.</summary>
    Unknown = 255,
}

/// <summary>
/// What the kernel tells about a packet besides its bytes, as <c>nflua.meta(pkt)</c> shows it to a
/// rule. A plain value copied into the rule's context for the call: nothing is allocated per packet.
/// Interface indexes of 0, and the uid and gid when their flags are clear, read as nil.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct PacketMeta
{
    private fixed byte _hardwareAddress[8];

    /// <summary>The hook the packet was queued from.</summary>
    public PacketHook Hook;

    /// <summary>Whether the kernel sent a uid (a local socket sent it, and the queue is bound with UID_GID).</summary>
    public bool HasUid;

    /// <summary>Whether the kernel sent a gid.</summary>
    public bool HasGid;

    /// <summary>Whether the packet is a GSO super-packet (several segments in one).</summary>
    public bool Gso;

    /// <summary>
    /// Whether the packet's checksums are complete, so a wrong one means a packet its receiver drops (nfluad: the
    /// kernel did not flag it CSUMNOTREADY). False where nobody knows (captures): streams then do not check them.
    /// </summary>
    public bool ChecksumComplete;

    /// <summary>Bytes of <see cref="HardwareAddress"/> in use (0: none).</summary>
    public byte HardwareAddressLength;

    /// <summary>Input interface index (0: none).</summary>
    public uint InputInterface;

    /// <summary>Output interface index (0: none).</summary>
    public uint OutputInterface;

    /// <summary>Physical (bridge port) input interface index (0: none).</summary>
    public uint PhysicalInputInterface;

    /// <summary>Physical (bridge port) output interface index (0: none).</summary>
    public uint PhysicalOutputInterface;

    /// <summary>The sending socket's uid (when <see cref="HasUid"/>).</summary>
    public uint Uid;

    /// <summary>The sending socket's gid (when <see cref="HasGid"/>).</summary>
    public uint Gid;

    /// <summary>The packet's mark as it came into the queue (0: none).</summary>
    public uint Mark;

    /// <summary>skb->priority.</summary>
    public uint Priority;

    /// <summary>The packet's whole length, even when the copy range cut the bytes the rule sees (0: the bytes' length).</summary>
    public int Length;

    /// <summary>Metadata that says nothing: unknown hook, no interfaces, no uid.</summary>
    public static PacketMeta None => new() { Hook = PacketHook.Unknown };

    /// <summary>The source hardware address (at most 8 bytes).</summary>
    public ReadOnlySpan<byte> HardwareAddress
    {
        get
        {
            fixed (byte* p = _hardwareAddress)
            {
                return new ReadOnlySpan<byte>(p, Math.Min((int)HardwareAddressLength, 8)).ToArray();
            }
        }
    }

    /// <summary>Sets the source hardware address (at most 8 bytes are kept).</summary>
    public void SetHardwareAddress(ReadOnlySpan<byte> address)
    {
        int length = Math.Min(address.Length, 8);
        fixed (byte* p = _hardwareAddress)
        {
            address[..length].CopyTo(new Span<byte>(p, 8));
        }

        HardwareAddressLength = (byte)length;
    }

    /// <summary>Copies the hardware address into <paramref name="destination"/> (8 bytes); returns its length.</summary>
    internal readonly int CopyHardwareAddress(Span<byte> destination)
    {
        fixed (byte* p = _hardwareAddress)
        {
            new ReadOnlySpan<byte>(p, 8).CopyTo(destination);
        }

        return Math.Min((int)HardwareAddressLength, 8);
    }
}
