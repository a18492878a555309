using System.Runtime.InteropServices;

namespace NfLua.Scripting.Interop;

/// <summary>
/// Per-rule state the callbacks reach through a light userdata upvalue. Its first five fields are
/// <c>nflua_datactx</c> (native/nflua.h), which the data module's C functions (native/nflua_data.c)
/// read through the same pointer: keep them first and in step (<see cref="Sandbox"/> checks the sizes).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RuleContext
{
    public PacketRegion Packet;

    /// <summary>
    /// The current packet as a data object. Scripts hold the packet as a light-userdata token (its
    /// generation): no allocation per call; a token from an earlier call resolves to <see cref="Stale"/>.
    /// </summary>
    public DataObject PacketObject;

    /// <summary>What every stale packet token resolves to: a region with no bytes, so it reads nil.</summary>
    public DataObject Stale;

    /// <summary>Registry slot holding the layout applied to the current packet (reset when a call set one).</summary>
    public int PacketLayoutSlot;

    public int PacketLayoutSet;

    // The end of nflua_datactx.
    public PacketRegion StaleRegion;

    public uint Mark;
    public int MarkSet;

    /// <summary>A GCHandle to the rule's <see cref="RuleHost"/>: its flows, sets and interface names (never pushed into Lua).</summary>
    public IntPtr Host;

    /// <summary>The current packet's time in milliseconds (nflua.now(), flow expiry), set by each call.</summary>
    public long NowMs;

    /// <summary>The current packet's metadata (nflua.meta), copied in by each call.</summary>
    public PacketMeta Meta;

    /// <summary>Registry slot of the metatable of set handles (nflua.set).</summary>
    public int SetMetatableSlot;

    /// <summary>That metatable's address (lua_topointer), to recognise handles in one native call (nflua_touserdata_mt).</summary>
    public IntPtr SetMetatable;

    /// <summary>Registry slot of the table of modules' chunks (<c>require</c>).</summary>
    public int PreloadSlot;

    /// <summary>The current call's stream bytes (<c>nflua.stream</c>): read-only, dead after the call.</summary>
    public PacketRegion Stream;
}
