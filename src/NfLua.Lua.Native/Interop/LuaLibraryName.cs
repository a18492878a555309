namespace NfLua.Lua.Native.Interop;

/// <summary>The name KeraLua and NfLua import the Lua library by.</summary>
internal static class LuaLibraryName
{
    public const string Name = "lua54";
    public const string FileName = "liblua54.so";
}
