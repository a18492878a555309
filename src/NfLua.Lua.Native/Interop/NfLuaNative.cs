using System.Runtime.InteropServices;

namespace NfLua.Lua.Native.Interop;

/// <summary>NfLua's own exports of liblua54.so (native/nflua.h); reached through <see cref="LimitedLuaState"/>.</summary>
internal static unsafe partial class NfLuaNative
{
    /// <summary>The ABI revision of native/nflua_limits.c this code was written against.</summary>
    public const int AbiVersion = 1;

    /// <summary>Instructions between two count-hook events (NFLUA_HOOK_STEP).</summary>
    public const int HookStep = 128;

    /// <summary>The exported name of NfLua's capped lua_Alloc.</summary>
    public const string AllocatorExport = "nflua_alloc";

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
}
