using System.Runtime.InteropServices;

namespace NfLua.Lua.Native.Interop;

/// <summary>NfLua's own exports of liblua54.so (native/nflua.h); reached through <see cref="LimitedLuaState"/>.</summary>
internal static unsafe partial class NfLuaNative
{
    /// <summary>The ABI revision of native/nflua_limits.c this code was written against.</summary>
    public const int AbiVersion = 2;

    /// <summary>Instructions between two count-hook events (NFLUA_HOOK_STEP).</summary>
    public const int HookStep = 128;

    /// <summary>NFLUA_STOP_BUDGET: the call ran out of its budget.</summary>
    public const int StopBudget = 1;

    /// <summary>NFLUA_STOP_TIME: the call ran out of its time.</summary>
    public const int StopTime = 2;

    /// <summary>
    /// NFLUA_HOST_RAISE: what a host function returns, the error value on top of the stack, for the
    /// trampoline (native/nflua_host.c) to raise it once the host function's frame is gone.
    /// </summary>
    public const int HostRaise = -1;

    /// <summary>NFLUA_HOST_FUNCTION_UPVALUE: the trampoline's upvalue holding the host function; the host's own follow.</summary>
    public const int HostFunctionUpvalue = 1;

    /// <summary>The exported name of NfLua's capped lua_Alloc.</summary>
    public const string AllocatorExport = "nflua_alloc";

    // Called twice per packet: function pointers without the GC transition (the functions only
    // read the clock and write the limits).
    private static readonly delegate* unmanaged[SuppressGCTransition]<NfLuaLimits*, long, void> s_arm =
        (delegate* unmanaged[SuppressGCTransition]<NfLuaLimits*, long, void>)LuaNativeLibrary.GetExport("nflua_arm");

    private static readonly delegate* unmanaged[SuppressGCTransition]<NfLuaLimits*, long> s_disarm =
        (delegate* unmanaged[SuppressGCTransition]<NfLuaLimits*, long>)LuaNativeLibrary.GetExport("nflua_disarm");

    /// <summary>Starts a call: its budget, its clock, its C-stack floor (taken on the calling thread).</summary>
    internal static void Arm(NfLuaLimits* limits, long budget) => s_arm(limits, budget);

    /// <summary>Ends a call; returns its wall-clock time in nanoseconds.</summary>
    internal static long Disarm(NfLuaLimits* limits) => s_disarm(limits);

    [LibraryImport(LuaLibraryName.Name, EntryPoint = "nflua_now_ns")]
    internal static partial long NowNs();

    [LibraryImport(LuaLibraryName.Name, EntryPoint = "nflua_clock_source")]
    internal static partial int ClockSource();

    [LibraryImport(LuaLibraryName.Name, EntryPoint = "nflua_limits_new")]
    internal static partial NfLuaLimits* LimitsNew();

    [LibraryImport(LuaLibraryName.Name, EntryPoint = "nflua_limits_free")]
    internal static partial void LimitsFree(NfLuaLimits* limits);

    [LibraryImport(LuaLibraryName.Name, EntryPoint = "nflua_attach")]
    internal static partial int Attach(IntPtr state);

    [LibraryImport(LuaLibraryName.Name, EntryPoint = "nflua_getlimits")]
    internal static partial NfLuaLimits* GetLimits(IntPtr state);

    [LibraryImport(LuaLibraryName.Name, EntryPoint = "nflua_abi_version")]
    internal static partial int GetAbiVersion();

    [LibraryImport(LuaLibraryName.Name, EntryPoint = "nflua_limits_size")]
    internal static partial nuint GetLimitsSize();

    /// <summary>nflua_pushhost: pops <paramref name="upvalues"/> values, pushes a trampoline closure over <paramref name="function"/> with them.</summary>
    [LibraryImport(LuaLibraryName.Name, EntryPoint = "nflua_pushhost")]
    internal static partial void PushHost(IntPtr state, IntPtr function, int upvalues);

    /// <summary>nflua_touserdata_mt: the block of the full userdata at <paramref name="index"/> if its metatable is <paramref name="metatable"/>, else null.</summary>
    [LibraryImport(LuaLibraryName.Name, EntryPoint = "nflua_touserdata_mt")]
    internal static partial void* ToUserDataWithMetatable(IntPtr state, int index, IntPtr metatable);

    /// <summary>nflua_tostringonly: the bytes of the string at <paramref name="index"/> (a number is not converted), else null.</summary>
    [LibraryImport(LuaLibraryName.Name, EntryPoint = "nflua_tostringonly")]
    internal static partial byte* ToStringOnly(IntPtr state, int index, nuint* length);
}
