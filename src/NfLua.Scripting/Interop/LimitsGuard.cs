using NfLua.Lua.Native.Interop;
using NfLua.Lua.Native;

namespace NfLua.Scripting.Interop;

/// <summary>
/// Lifts a state's memory cap while a callback pushes values: an allocation refused there would
/// raise a Lua error through managed frames. Callbacks check sizes against the cap themselves first.
/// </summary>
internal readonly unsafe ref struct LimitsGuard
{
    private static readonly delegate* unmanaged<IntPtr, NfLuaLimits*> s_getLimits =
        (delegate* unmanaged<IntPtr, NfLuaLimits*>)LuaNativeLibrary.GetExport("nflua_getlimits");

    private readonly NfLuaLimits* _limits;

    public LimitsGuard(IntPtr state)
    {
        _limits = s_getLimits(state);
        if (_limits != null)
        {
            _limits->MemSuspended++;
        }
    }

    /// <summary>Whether <paramref name="bytes"/> more would still fit under the cap.</summary>
    public bool Fits(long bytes) =>
        _limits == null || _limits->MemLimit == 0 || (long)_limits->MemUsed + bytes <= (long)_limits->MemLimit;

    /// <summary>
    /// Whether <paramref name="bytes"/> more fit under the cap, after a full collection if they do not
    /// at once: the accounted memory includes garbage (big data objects dropped since the last cycle),
    /// which Lua's emergency collection never reclaims for a host allocation checked here.
    /// </summary>
    public bool FitsAfterCollecting(IntPtr state, long bytes)
    {
        if (Fits(bytes))
        {
            return true;
        }

        LuaC.Gc(state, LuaC.GcCollect, 0);
        return Fits(bytes);
    }

    public void Dispose()
    {
        if (_limits != null)
        {
            _limits->MemSuspended--;
        }
    }
}
