using System.Runtime.InteropServices;
using KeraLua;
using NfLua.Lua.Native.Interop;

namespace NfLua.Lua.Native;

/// <summary>
/// The self-test every NfLua host runs before it trusts Lua: proves that the loaded library is
/// NfLua's integer-only build, reached through KeraLua with a working double ABI.
/// </summary>
public static class LuaRuntimeCheck
{
    private static readonly Lazy<IReadOnlyList<string>> s_problems = new(Run, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>What is wrong with the loaded Lua library; empty when it is the right one.</summary>
    public static IReadOnlyList<string> Problems => s_problems.Value;

    /// <summary>Runs the self-test once and refuses to go on if it failed.</summary>
    /// <exception cref="InvalidOperationException">The loaded library is not NfLua's integer-only Lua.</exception>
    public static void EnsureIntegerLua()
    {
        IReadOnlyList<string> problems = Problems;
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                $"the Lua library at {LuaNativeLibrary.ExpectedPath} is not NfLua's integer-only Lua 5.4: "
                + string.Join("; ", problems)
                + ". Rebuild it (dotnet build NfLua.sln) and make sure no other liblua54.so is shipped with the program.");
        }
    }

    private static List<string> Run()
    {
        var problems = new List<string>();
        try
        {
            LuaNativeLibrary.EnsureLoaded();
            if (NfLuaNative.GetAbiVersion() != NfLuaNative.AbiVersion)
            {
                problems.Add($"NfLua ABI {NfLuaNative.GetAbiVersion()}, expected {NfLuaNative.AbiVersion}");
            }
            else if (NfLuaNative.GetLimitsSize() != (nuint)Marshal.SizeOf<NfLuaLimits>())
            {
                problems.Add($"nflua_limits is {NfLuaNative.GetLimitsSize()} bytes, NfLuaLimits {Marshal.SizeOf<NfLuaLimits>()}");
            }

            foreach (string export in (string[])["nflua_pushhost", "nflua_touserdata_mt", "nflua_tostringonly"])
            {
                if (!LuaNativeLibrary.HasExport(export))
                {
                    problems.Add($"{export} is missing (native/nflua_host.c: the library predates NfLua's host trampoline)");
                }
            }

            foreach (string export in (string[])["nflua_data_index", "nflua_data_newindex", "nflua_data_len", "nflua_data_tostring",
                                                  "nflua_data_segment", "nflua_data_layoutmethod", "nflua_data_sizes"])
            {
                if (!LuaNativeLibrary.HasExport(export))
                {
                    problems.Add($"{export} is missing (native/nflua_data.c: the library predates the data module in C)");
                }
            }

            using var lua = new KeraLua.Lua(openLibs: false);
            double version = lua.Version();
            if (version != 504)
            {
                problems.Add($"lua_version is {version}, expected 504");
            }

            if (lua.LoadString("return 7/2") != LuaStatus.OK || lua.PCall(0, 1, 0) != LuaStatus.OK
                || !lua.IsInteger(-1) || lua.ToInteger(-1) != 3)
            {
                problems.Add("7/2 is not the integer 3");
            }

            lua.SetTop(0);
            if (lua.LoadString("return 1.5") == LuaStatus.OK)
            {
                problems.Add("the float literal 1.5 compiled");
            }

            lua.SetTop(0);
            lua.PushNumber(2.75);
            if (!lua.IsInteger(-1) || lua.ToInteger(-1) != 2)
            {
                problems.Add("a double pushed through KeraLua does not arrive as a truncated integer");
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            problems.Add(ex.Message);
        }

        return problems;
    }
}
