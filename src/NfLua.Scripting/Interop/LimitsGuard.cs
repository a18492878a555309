using NfLua.Lua.Native.Interop;
using NfLua.Lua.Native;

namespace NfLua.Scripting.Interop;

/// <summary>
/// Marks host code running inside a call: the state's memory cap is lifted and nothing of the limits
/// raises while it pushes values (a Lua error there would unwind through managed frames); a budget
/// that runs out meanwhile stops the call at its next instruction. Callbacks check sizes against the
/// cap themselves first.
/// </summary>
internal readonly unsafe ref struct LimitsGuard
{
    // Taken by every host function that allocates: without the GC transition (the function only
    // reads the state's allocator), which cost more than the rest of a small host call.
    private static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, NfLuaLimits*> s_getLimits =
        (delegate* unmanaged[SuppressGCTransition]<IntPtr, NfLuaLimits*>)LuaNativeLibrary.GetExport("nflua_getlimits");

    private static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, long, long, int> s_hostCharge =
        (delegate* unmanaged[SuppressGCTransition]<IntPtr, long, long, int>)LuaNativeLibrary.GetExport("nflua_host_charge");

    private static readonly delegate* unmanaged<IntPtr, int> s_collectAllowed =
        (delegate* unmanaged<IntPtr, int>)LuaNativeLibrary.GetExport("nflua_emergency_gc_allowed");

    private readonly NfLuaLimits* _limits;

    public LimitsGuard(IntPtr state)
    {
        _limits = s_getLimits(state);
        if (_limits != null)
        {
            _limits->HostDepth++;
        }
    }

    /// <summary>
    /// Charges work the callback is about to do, before it does it: <paramref name="units"/> of the
    /// call's budget, and a worst-case time. False when the call cannot pay for it (or was already
    /// stopped): the callback must then skip the work; the call stops at its next instruction.
    /// </summary>
    public bool Charge(IntPtr state, long units, long worstNanoseconds = 0) =>
        _limits == null || s_hostCharge(state, units, worstNanoseconds) != 0;

    /// <summary>
    /// Charges copying or filling <paramref name="bytes"/>: a unit per 16 bytes (the allocator's rate,
    /// native/nflua_limits.c), and for a large block 3 ns per byte, what fresh pages cost on a slow
    /// virtual machine (an allocation made for host code cannot be given up halfway, as the
    /// allocator does for Lua's own large blocks, so it is refused up front when it might not fit).
    /// </summary>
    public bool ChargeBytes(IntPtr state, long bytes) =>
        Charge(state, 1 + bytes / 16, bytes >= 64 * 1024 ? bytes * 3 : 0);

    /// <summary>Whether <paramref name="bytes"/> more would still fit under the cap.</summary>
    public bool Fits(long bytes) =>
        _limits == null || _limits->MemLimit == 0 || (long)_limits->MemUsed + bytes <= (long)_limits->MemLimit;

    /// <summary>
    /// Whether <paramref name="bytes"/> more fit under the cap, after a full collection if they do not
    /// at once: the accounted memory includes garbage (big data objects dropped since the last cycle),
    /// which Lua's emergency collection never reclaims for a host allocation checked here. The
    /// collection walks the whole heap: it is charged to the call, and refused when the call cannot pay.
    /// </summary>
    public bool FitsAfterCollecting(IntPtr state, long bytes)
    {
        if (Fits(bytes))
        {
            return true;
        }

        if (_limits != null)
        {
            // Asked as plain host code: inside the guard nothing would be refused.
            _limits->HostDepth--;
            int allowed = s_collectAllowed(state);
            _limits->HostDepth++;
            if (allowed == 0)
            {
                return false;
            }
        }

        LuaC.Gc(state, LuaC.GcCollect, 0);
        return Fits(bytes);
    }

    public void Dispose()
    {
        if (_limits != null)
        {
            _limits->HostDepth--;
        }
    }
}
