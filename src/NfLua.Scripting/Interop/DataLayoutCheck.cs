using System.Runtime.InteropServices;
using NfLua.Lua.Native;

namespace NfLua.Scripting.Interop;

/// <summary>
/// The data module's C functions (native/nflua_data.c) read <see cref="PacketRegion"/>, <see cref="DataObject"/> and
/// the start of <see cref="RuleContext"/> as <c>nflua_region</c>, <c>nflua_data</c> and <c>nflua_datactx</c>
/// (native/nflua.h): a mismatch would be memory corruption, so it is refused before the first rule is made.
/// </summary>
internal static unsafe class DataLayoutCheck
{
    /// <summary>What the library reports (nflua_data_sizes), against what this assembly lays out, in the same order.</summary>
    internal static (long[] Native, long[] Managed) Sizes()
    {
        var sizes = (delegate* unmanaged<long*, int, int>)LuaNativeLibrary.GetExport("nflua_data_sizes");
        long[] managed =
        [
            sizeof(PacketRegion), sizeof(DataObject),
            (long)Marshal.OffsetOf<RuleContext>(nameof(RuleContext.StaleRegion)),
            (long)Marshal.OffsetOf<PacketRegion>(nameof(PacketRegion.ReadOnly)),
            (long)Marshal.OffsetOf<DataObject>(nameof(DataObject.Length)),
            (long)Marshal.OffsetOf<RuleContext>(nameof(RuleContext.PacketObject)),
            (long)Marshal.OffsetOf<RuleContext>(nameof(RuleContext.Stale)),
            (long)Marshal.OffsetOf<RuleContext>(nameof(RuleContext.PacketLayoutSlot)),
            (long)Marshal.OffsetOf<RuleContext>(nameof(RuleContext.PacketLayoutSet)),
        ];
        var native = new long[managed.Length];
        fixed (long* p = native)
        {
            int count = sizes(p, native.Length);
            if (count != managed.Length)
            {
                Array.Resize(ref native, 0);
            }
        }

        return (native, managed);
    }

    public static void ThrowIfMismatched()
    {
        (long[] native, long[] managed) = Sizes();
        if (!native.AsSpan().SequenceEqual(managed))
        {
            throw new InvalidOperationException(
                $"liblua54.so's data structures (nflua_data_sizes: {string.Join(", ", native)}) are not NfLua.Scripting's ({string.Join(", ", managed)}): rebuild the native library");
        }
    }
}
