using System.Text;
using NLua;
using NLua.Exceptions;
using NfLua.Lua.Native;

namespace NfLua.Daemon.Configuration;

/// <summary>
/// Reads nfluad's configuration, written in Lua, with NLua in a state that can reach nothing
/// but the configuration (config-prelude.lua), and validates it as a whole: every problem is
/// reported with its file and line, and a bad file yields no configuration at all.
/// </summary>
internal static class ConfigLoader
{
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
    public static ConfigResult Load(string text, string path)
    {
        LuaRuntimeCheck.EnsureIntegerLua();
        using var lua = new NLua.Lua();
        LuaTable? entries;
        try
        {
            entries = lua.DoString(s_prelude.Value, "=nfluad-config-prelude").FirstOrDefault() as LuaTable;
            lua.DoString(text, "@" + path);
        }
        catch (LuaScriptException ex)
        {
            return ConfigResult.Failed(ex.Message);
        }
        catch (LuaException ex)
        {
            return ConfigResult.Failed($"{path}: {ex.Message}");
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
