using System.Reflection;
using System.Runtime.InteropServices;
using NfLua.Lua.Native.Interop;

namespace NfLua.Lua.Native;

/// <summary>
/// Loads NfLua's integer-only liblua54.so from beside the program and makes KeraLua's and NfLua's
/// imports resolve to it, whatever else the probing paths hold.
/// </summary>
public static class LuaNativeLibrary
{
    private static readonly Lazy<IntPtr> s_handle = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Where the library is expected: next to the program's assemblies.</summary>
    public static string ExpectedPath => Path.Combine(AppContext.BaseDirectory, LuaLibraryName.FileName);

    /// <summary>Loads the library once and installs the import resolvers; later calls do nothing.</summary>
    /// <exception cref="DllNotFoundException">The library is not beside the program.</exception>
    public static void EnsureLoaded() => _ = s_handle.Value;

    /// <summary>The address of an export of the library.</summary>
    /// <exception cref="EntryPointNotFoundException">The library has no such export.</exception>
    public static IntPtr GetExport(string name) => NativeLibrary.GetExport(s_handle.Value, name);

    /// <summary>Whether the library exports <paramref name="name"/>.</summary>
    public static bool HasExport(string name) => NativeLibrary.TryGetExport(s_handle.Value, name, out _);

    private static IntPtr Load()
    {
        string path = ExpectedPath;
        if (!File.Exists(path))
        {
            throw new DllNotFoundException(
                $"NfLua's Lua library is missing: {path}. Build the solution (dotnet build NfLua.sln) or reinstall NfLua.");
        }

        IntPtr handle = NativeLibrary.Load(path);
        IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
            name == LuaLibraryName.Name ? handle : IntPtr.Zero;
        NativeLibrary.SetDllImportResolver(typeof(KeraLua.Lua).Assembly, Resolve);
        NativeLibrary.SetDllImportResolver(typeof(LuaNativeLibrary).Assembly, Resolve);
        return handle;
    }
}
