using System.Runtime.InteropServices;

namespace NfLua.Scripting.Interop;

/// <summary>
/// The payload of a <c>data</c> userdata: a window over bytes that are either owned by a Lua
/// userdata (data.new; kept alive through user value 1) or the current packet (through its region).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct DataObject
{
    /// <summary>User value holding the layout table applied with <c>d:layout</c> (NFLUA_DATA_LAYOUT_UV): every object has it.</summary>
    public const int LayoutUserValue = 1;

    /// <summary>
    /// User value holding the userdata that owns the bytes (NFLUA_DATA_OWNER_UV): only objects over owned bytes
    /// (data.new and its segments) have it; objects over a region have one user value.
    /// </summary>
    public const int OwnerUserValue = 2;

    public byte* Owned;
    public PacketRegion* Region;
    public ulong Generation;
    public long Offset;
    public long Length;

    /// <summary>The bytes, or false for a packet object whose call has ended.</summary>
    public readonly bool TryGetBytes(out Span<byte> bytes)
    {
        byte* start;
        if (Region != null)
        {
            if (Region->Generation != Generation || Region->Data == null)
            {
                bytes = default;
                return false;
            }

            start = Region->Data;
        }
        else
        {
            start = Owned;
        }

        bytes = new Span<byte>(start + Offset, checked((int)Length));
        return true;
    }
}
