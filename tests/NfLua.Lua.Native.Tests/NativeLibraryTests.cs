using System.Reflection;
using System.Runtime.InteropServices;
using NfLua.Lua.Native;

namespace NfLua.Lua.Native.Tests;

/// <summary>The built liblua54.so is complete for KeraLua, and it is the only Lua library shipped.</summary>
public sealed class NativeLibraryTests
{
    private static readonly string s_library = LuaNativeLibrary.ExpectedPath;

    [Fact]
    public void Library_ExportsEverySymbolKeraLuaImports()
    {
        List<string> imports = KeraLuaImports();
        Assert.True(imports.Count > 100, $"found only {imports.Count} KeraLua imports");

        ProcessResult nm = ProcessRunner.Run("nm", ["-D", "--defined-only", s_library]);
        Assert.Equal(0, nm.ExitCode);
        var exported = nm.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length == 3 && parts[1] == "T")
            .Select(parts => parts[2])
            .ToHashSet(StringComparer.Ordinal);

        List<string> missing = imports.Where(name => !exported.Contains(name)).ToList();
        Assert.True(missing.Count == 0, "not exported: " + string.Join(", ", missing));
    }

    [Fact]
    public void Library_KeepsTheDoubleSignaturesKeraLuaExpects()
    {
        string[] doubleTyped = ["lua_pushnumber", "lua_tonumberx", "lua_version", "luaL_checknumber", "luaL_optnumber", "luaL_checkversion_"];
        foreach (string name in doubleTyped)
        {
            MethodInfo import = KeraLuaImportMethods().Single(m => EntryPoint(m) == name);
            bool hasDouble = import.ReturnType == typeof(double) || import.GetParameters().Any(p => p.ParameterType == typeof(double));
            Assert.True(hasDouble, $"KeraLua's {name} no longer carries a double: revisit nflua_abi.c");
        }
    }

    [Fact]
    public void Output_ShipsNoOtherLuaLibrary()
    {
        string[] luaLibraries = Directory.GetFiles(AppContext.BaseDirectory, "liblua*", SearchOption.AllDirectories);
        Assert.Equal([s_library], luaLibraries);

        string deps = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "NfLua.Lua.Native.Tests.deps.json"));
        Assert.DoesNotContain("native/liblua54", deps, StringComparison.Ordinal);
    }

    [Fact]
    public void KeraLua_ResolvesToTheLibraryBesideTheProgram()
    {
        LuaNativeLibrary.EnsureLoaded();
        string maps = File.ReadAllText("/proc/self/maps");
        var mapped = maps.Split('\n').Where(l => l.Contains("liblua", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf('/', StringComparison.Ordinal))..]).Distinct().ToList();
        Assert.Equal([s_library], mapped);
    }

    private static List<string> KeraLuaImports() => KeraLuaImportMethods().Select(EntryPoint).Distinct().ToList();

    private static IEnumerable<MethodInfo> KeraLuaImportMethods() =>
        typeof(KeraLua.Lua).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(m => m.Attributes.HasFlag(MethodAttributes.PinvokeImpl));

    private static string EntryPoint(MethodInfo m) => m.GetCustomAttribute<DllImportAttribute>()?.EntryPoint ?? m.Name;
}
