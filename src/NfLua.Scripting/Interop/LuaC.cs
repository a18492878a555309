using System.Runtime.InteropServices;
using NfLua.Lua.Native;

namespace NfLua.Scripting.Interop;

/// <summary>
/// The few Lua C API calls the hot path and the callbacks make, as raw function pointers into the
/// integer-only library: no marshalling, no allocation, any thread handle (coroutines included).
/// None of these raise Lua errors when used as the callbacks use them (no metamethods, and
/// allocations happen with the memory cap suspended).
/// Calls that never run Lua code or call back into .NET skip the GC transition: they are short,
/// and a GC step inside them runs no finaliser (rules cannot set __gc, data objects have none).
/// </summary>
internal static unsafe class LuaC
{
    public const int RegistryIndex = -1001000;
    public const int MultiReturn = -1;

    public const int TypeNone = -1;
    public const int TypeNil = 0;
    public const int TypeBoolean = 1;
    public const int TypeLightUserData = 2;
    public const int TypeNumber = 3;
    public const int TypeString = 4;
    public const int TypeTable = 5;
    public const int TypeFunction = 6;
    public const int TypeUserData = 7;

    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, int> GetTop = (delegate* unmanaged[SuppressGCTransition]<IntPtr, int>)Export("lua_gettop");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, int, void> SetTop = (delegate* unmanaged[SuppressGCTransition]<IntPtr, int, void>)Export("lua_settop");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, int, void> PushValue = (delegate* unmanaged[SuppressGCTransition]<IntPtr, int, void>)Export("lua_pushvalue");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, int, int> Type = (delegate* unmanaged[SuppressGCTransition]<IntPtr, int, int>)Export("lua_type");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, int, int*, long> ToIntegerX = (delegate* unmanaged[SuppressGCTransition]<IntPtr, int, int*, long>)Export("lua_tointegerx");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, int, int> ToBoolean = (delegate* unmanaged[SuppressGCTransition]<IntPtr, int, int>)Export("lua_toboolean");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, int, nuint*, byte*> ToLString = (delegate* unmanaged[SuppressGCTransition]<IntPtr, int, nuint*, byte*>)Export("lua_tolstring");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, int, void*> ToUserData = (delegate* unmanaged[SuppressGCTransition]<IntPtr, int, void*>)Export("lua_touserdata");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, void> PushNil = (delegate* unmanaged[SuppressGCTransition]<IntPtr, void>)Export("lua_pushnil");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, long, void> PushInteger = (delegate* unmanaged[SuppressGCTransition]<IntPtr, long, void>)Export("lua_pushinteger");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, int, void> PushBoolean = (delegate* unmanaged[SuppressGCTransition]<IntPtr, int, void>)Export("lua_pushboolean");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, byte*, nuint, byte*> PushLString = (delegate* unmanaged[SuppressGCTransition]<IntPtr, byte*, nuint, byte*>)Export("lua_pushlstring");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, void*, void> PushLightUserData = (delegate* unmanaged[SuppressGCTransition]<IntPtr, void*, void>)Export("lua_pushlightuserdata");
    public static readonly delegate* unmanaged<IntPtr, IntPtr, int, void> PushCClosure = (delegate* unmanaged<IntPtr, IntPtr, int, void>)Export("lua_pushcclosure");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, nuint, int, void*> NewUserDataUv = (delegate* unmanaged[SuppressGCTransition]<IntPtr, nuint, int, void*>)Export("lua_newuserdatauv");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, int, int, int> GetIUserValue = (delegate* unmanaged[SuppressGCTransition]<IntPtr, int, int, int>)Export("lua_getiuservalue");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, int, int, int> SetIUserValue = (delegate* unmanaged[SuppressGCTransition]<IntPtr, int, int, int>)Export("lua_setiuservalue");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, int, int> RawGet = (delegate* unmanaged[SuppressGCTransition]<IntPtr, int, int>)Export("lua_rawget");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, int, long, int> RawGetI = (delegate* unmanaged[SuppressGCTransition]<IntPtr, int, long, int>)Export("lua_rawgeti");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, int, long, void> RawSetI = (delegate* unmanaged[SuppressGCTransition]<IntPtr, int, long, void>)Export("lua_rawseti");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, int, nuint> RawLen = (delegate* unmanaged[SuppressGCTransition]<IntPtr, int, nuint>)Export("lua_rawlen");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, int, int> GetMetatable = (delegate* unmanaged[SuppressGCTransition]<IntPtr, int, int>)Export("lua_getmetatable");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, int, int, int> RawEqual = (delegate* unmanaged[SuppressGCTransition]<IntPtr, int, int, int>)Export("lua_rawequal");
    public static readonly delegate* unmanaged<IntPtr, int, int> Next = (delegate* unmanaged<IntPtr, int, int>)Export("lua_next");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, int, int> SetMetatable = (delegate* unmanaged[SuppressGCTransition]<IntPtr, int, int>)Export("lua_setmetatable");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, int, int, void> CreateTable = (delegate* unmanaged[SuppressGCTransition]<IntPtr, int, int, void>)Export("lua_createtable");
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, int, IntPtr> ToPointer = (delegate* unmanaged[SuppressGCTransition]<IntPtr, int, IntPtr>)Export("lua_topointer");

    /// <summary>nflua_pushhost (native/nflua_host.c): pops n upvalues, pushes the trampoline closure over a host function.</summary>
    public static readonly delegate* unmanaged<IntPtr, IntPtr, int, void> PushHost = (delegate* unmanaged<IntPtr, IntPtr, int, void>)Export("nflua_pushhost");

    /// <summary>nflua_touserdata_mt: the block of the full userdata at an index whose metatable is the given table (lua_topointer), else null.</summary>
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, int, IntPtr, void*> ToUserDataWithMetatable =
        (delegate* unmanaged[SuppressGCTransition]<IntPtr, int, IntPtr, void*>)Export("nflua_touserdata_mt");

    /// <summary>nflua_tostringonly: the bytes of the string at an index (a number is not converted), else null.</summary>
    public static readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, int, nuint*, byte*> ToStringOnly =
        (delegate* unmanaged[SuppressGCTransition]<IntPtr, int, nuint*, byte*>)Export("nflua_tostringonly");

    public static readonly delegate* unmanaged<IntPtr, int, int> Ref = (delegate* unmanaged<IntPtr, int, int>)Export("luaL_ref");
    public static readonly delegate* unmanaged<IntPtr, int, int, void> Unref = (delegate* unmanaged<IntPtr, int, int, void>)Export("luaL_unref");
    public static readonly delegate* unmanaged<IntPtr, int, int, int, IntPtr, IntPtr, int> PCallK =
        (delegate* unmanaged<IntPtr, int, int, int, IntPtr, IntPtr, int>)Export("lua_pcallk");

    /// <summary>
    /// NFLUA_HOST_RAISE: a host function returns it with the error value on top of the stack, and the
    /// trampoline that called it raises that value (a string gets the caller's position first) once
    /// the .NET frame is gone (docs/internals.md, "Host functions").
    /// </summary>
    public const int Raise = -1;

    /// <summary>lua_gc's LUA_GCCOLLECT: a full collection cycle.</summary>
    public const int GcCollect = 2;

    /// <summary>
    /// lua_gc(L, what, ...) with one int argument. It is variadic in C; called here as fixed, which
    /// the x86-64 and AArch64 Linux ABIs pass the same way (LUA_GCCOLLECT reads no argument anyway).
    /// With the GC transition: a full collection can take a while.
    /// </summary>
    public static readonly delegate* unmanaged<IntPtr, int, int, int> Gc = (delegate* unmanaged<IntPtr, int, int, int>)Export("lua_gc");

    /// <summary>The upvalue pseudo-index of a C closure (lua_upvalueindex).</summary>
    public static int UpvalueIndex(int i) => RegistryIndex - i;

    private static IntPtr Export(string name) => LuaNativeLibrary.GetExport(name);
}
