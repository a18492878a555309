using System.Runtime.InteropServices;

namespace NfLua.Scripting.Interop;

/// <summary>
/// The packet a rule is judging, in unmanaged memory owned by the rule: data objects over the
/// packet refer to it and compare generations, so a packet object kept past its call reads nil.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct PacketRegion
{
    public byte* Data;
    public long Length;
    public ulong Generation;
    public int Modified;

    /// <summary>Non-zero for a region rules may not write (a stream's bytes).</summary>
    public int ReadOnly;
}
