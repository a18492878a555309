using NLua;
using NfLua.Engine;
using NfLua.Scripting;

namespace NfLua.Daemon.Configuration;

/// <content>The data a configuration gives rules: rule params, named sets and trusted modules.</content>
internal sealed partial class ConfigReader
{
    /// <summary>params = { ... }: strings, integers, booleans and tables of them; anything else is an error naming the key.</summary>
    private RuleParams? ReadParams(Entry entry, string rule, object value)
    {
        if (value is not LuaTable table)
        {
            return Error<RuleParams?>(entry, $"rule '{rule}': params must be a table of named values, such as params = {{ mode = \"strict\" }}", null);
        }

        string? error = null;
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (object k in table.Keys)
        {
            if (k is not string key)
            {
                error = $"params take named values (params = {{ key = value }}), not [{k}]";
                break;
            }

            if (!TryParamValue(table[key], key, 0, out object? converted, out error))
            {
                break;
            }

            values[key] = converted;
        }

        if (error is null && RuleParams.TryCreate(values, out RuleParams parameters, out error))
        {
            return parameters;
        }

        return Error<RuleParams?>(entry, $"rule '{rule}': {error}", null);
    }

    /// <summary>A Lua value as RuleParams takes it: a table becomes a list (keys 1..n) or a map (string keys).</summary>
    private static bool TryParamValue(object? value, string path, int depth, out object? converted, out string? error)
    {
        converted = null;
        error = null;
        switch (value)
        {
            case string or long or bool:
                converted = value;
                return true;
            case double:
                error = $"params.{path} is not an integer: numbers in rules are integers";
                return false;
            case LuaTable table:
                if (depth >= RuleParams.MaxDepth)
                {
                    error = $"params.{path} is nested deeper than {RuleParams.MaxDepth} levels";
                    return false;
                }

                return TryParamTable(table, path, depth, out converted, out error);
            default:
                string type = value switch
                {
                    LuaFunction => "a function",
                    null => "nil",
                    _ => "a " + value.GetType().Name,
                };
                error = $"params.{path} is {type}: parameters are strings, integers, booleans and tables of them";
                return false;
        }
    }

    private static bool TryParamTable(LuaTable table, string path, int depth, out object? converted, out string? error)
    {
        converted = null;
        error = null;
        var keys = new List<object>();
        foreach (object key in table.Keys)
        {
            keys.Add(key);
        }

        if (keys.All(k => k is long))
        {
            var list = new List<object?>(keys.Count);
            for (long i = 1; i <= keys.Count; i++)
            {
                if (table[i] is not { } item)
                {
                    error = $"params.{path} is a list with a hole at [{i}]: lists run from [1] without gaps";
                    return false;
                }

                if (!TryParamValue(item, $"{path}[{i}]", depth + 1, out object? c, out error))
                {
                    return false;
                }

                list.Add(c);
            }

            converted = list;
            return true;
        }

        if (!keys.All(k => k is string))
        {
            error = $"params.{path} mixes a list and named keys: give it one or the other";
            return false;
        }

        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (object key in keys)
        {
            if (!TryParamValue(table[key], $"{path}.{key}", depth + 1, out object? c, out error))
            {
                return false;
            }

            map[(string)key] = c;
        }

        converted = map;
        return true;
    }

    /// <summary>set { "name", kind = "cidr" | "domain" | "string", file = "lists/x.txt", max_memory = BYTES }.</summary>
    private SetConfig? ReadSet(Entry entry)
    {
        CheckKeys(entry, s_setKeys, allowArray: true);
        string name = entry.Table["name"] as string ?? entry.Table[1L] as string ?? "";
        if (!RuleNames.IsValid(name))
        {
            return Error<SetConfig?>(entry, "a set needs a name (1-64 letters, digits, '-', '_' or '.')", null);
        }

        if (!SetKinds.TryParse(entry.Table["kind"] as string, out Packets.Sets.SetKind kind))
        {
            Errors.Add($"{entry.Where}: set '{name}' needs kind = \"cidr\", \"domain\" or \"string\"");
        }

        string? file = FilePath(entry, $"set '{name}'", "lists/bad-nets.txt");
        long maxMemory = entry.Table["max_memory"] is { } m
            ? Integer(entry, m, "max_memory", SetConfig.MemoryRange, SetConfig.DefaultMaxMemoryBytes)
            : SetConfig.DefaultMaxMemoryBytes;
        return file is null ? null : new SetConfig(name, kind, file, maxMemory, entry.Where);
    }

    /// <summary>module { "name", file = "lib/name.lua" }: a trusted module rules may require.</summary>
    private ModuleConfig? ReadModule(Entry entry)
    {
        CheckKeys(entry, s_moduleKeys, allowArray: true);
        string name = entry.Table["name"] as string ?? entry.Table[1L] as string ?? "";
        if (name.Length == 0 || name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
        {
            return Error<ModuleConfig?>(entry, "a module needs a name of 1 to 64 letters, digits, '_', '.' or '-' (module { \"dns\", file = \"lib/dns.lua\" })", null);
        }

        if (name is "data" or "nflua")
        {
            return Error<ModuleConfig?>(entry, $"module '{name}': the name is NfLua's own module's", null);
        }

        string? file = FilePath(entry, $"module '{name}'", "lib/dns.lua");
        return file is null ? null : new ModuleConfig(name, file, entry.Where);
    }
}
