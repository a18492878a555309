using System.Runtime.InteropServices;

namespace NfLua.Scripting.Interop;

/// <summary>Per-rule state the callbacks reach through a light userdata upvalue.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RuleContext
{
    public PacketRegion Packet;
    public uint Mark;
    public int MarkSet;

    /// <summary>A GCHandle to the rule's <see cref="FlowTable"/> (never pushed into Lua).</summary>
    public IntPtr Flows;
}
