using System.Text;
using NLua;
using NLua.Exceptions;
using NfLua.Lua.Native;
using NfLua.Scripting;

namespace NfLua.Daemon.Configuration;

/// <summary>
/// Reads nfluad's configuration, written in Lua, with NLua in a state that can reach nothing
/// but the configuration (config-prelude.lua), and validates it as a whole: every problem is
/// reported with its file and line, and a bad file yields no configuration at all. The file runs
/// under an instruction budget (NfLua's native count hook), so a loop in it cannot hang
/// --check-config, start or reload.
/// </summary>
internal static class ConfigLoader
{
    /// <summary>VM instructions the configuration file may run: far more than any real file needs.</summary>
    public const long MaxInstructions = 10_000_000;

    private static readonly Lazy<string> s_prelude = new(() =>
    {
        using Stream stream = typeof(ConfigLoader).Assembly.GetManifestResourceStream("NfLua.Daemon.config-prelude.lua")!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    /// <summary>Loads and validates a configuration file.</summary>
    public static ConfigResult LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ConfigResult.Failed($"{path}: cannot read the configuration: {ex.Message}");
        }

        return Load(text, path);
    }

    /// <summary>Loads and validates configuration text; <paramref name="path"/> names it in errors and anchors relative script paths.</summary>
    public static ConfigResult Load(string text, string path) => Load(text, path, MaxInstructions);

    /// <summary>As <see cref="Load(string, string)"/>, with the file allowed <paramref name="maxInstructions"/> VM instructions.</summary>
    internal static ConfigResult Load(string text, string path, long maxInstructions)
    {
        // A state with NfLua's allocator and budget hook (no memory cap): the hook raises its error
        // from C, so stopping a runaway file never unwinds through managed frames.
        using var limited = new LimitedLuaState(0);
        limited.Lua.OpenLibs();
        // NLua's constructor for an existing state fills a global luanet table it expects to exist.
        limited.Lua.NewTable();
        limited.Lua.SetGlobal("luanet");
        using var lua = new NLua.Lua(limited.Lua);
        LuaTable? entries;
        try
        {
            entries = lua.DoString(s_prelude.Value, "=nfluad-config-prelude").FirstOrDefault() as LuaTable;
            limited.ArmBudget(maxInstructions);
            lua.DoString(text, "@" + path);
            limited.DisarmBudget();
        }
        catch (LuaException) when (limited.BudgetSpent)
        {
            return ConfigResult.Failed($"{path}: the configuration did not finish within {maxInstructions} instructions");
        }
        catch (LuaScriptException ex)
        {
            return ConfigResult.Failed(IntegerOnlyHint.Rewrite(ex.Message));
        }
        catch (LuaException ex)
        {
            return ConfigResult.Failed(IntegerOnlyHint.Rewrite($"{path}: {ex.Message}"));
        }

        var reader = new ConfigReader(Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/", path);
        DaemonConfig config = reader.Read(entries);
        return reader.Errors.Count == 0 ? new ConfigResult(config, []) : new ConfigResult(null, reader.Errors);
    }
}

/// <summary>A configuration, or every reason there is none.</summary>
internal sealed record ConfigResult(DaemonConfig? Config, IReadOnlyList<string> Errors)
{
    public static ConfigResult Failed(string error) => new(null, [error]);
}
