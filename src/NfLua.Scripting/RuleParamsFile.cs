using System.Text;
using KeraLua;
using NfLua.Lua.Native;

namespace NfLua.Scripting;

/// <summary>
/// Reads a rule's parameters from a Lua file that returns a table (<c>--params FILE.lua</c>): the file runs in a
/// bare state with no library and no globals (no I/O, nothing to call), under a small instruction, time and memory
/// budget, and what it returns is checked as <see cref="RuleParams.TryCreate"/> checks parameters.
/// </summary>
public static class RuleParamsFile
{
    /// <summary>Instructions the file may run: plenty for a table of thousands of values, not for a loop that never ends.</summary>
    public const long MaxInstructions = 10_000_000;

    /// <summary>Bytes its state may hold.</summary>
    public const int MaxMemoryBytes = 64 << 20;

    private static readonly TimeSpan s_timeLimit = TimeSpan.FromSeconds(2);

    /// <summary>Runs <paramref name="source"/> and takes the table it returns as parameters.</summary>
    /// <param name="source">The Lua text (bytecode is refused).</param>
    /// <param name="chunkName">The name errors carry: the file's path.</param>
    /// <param name="parameters">The parameters; empty on failure.</param>
    /// <param name="error">One line naming the file (and its line, or the key at fault) on failure.</param>
    /// <returns>True when the file returned a table of strings, integers, booleans and tables of them.</returns>
    public static bool TryLoad(ReadOnlySpan<byte> source, string chunkName, out RuleParams parameters, out string? error)
    {
        parameters = RuleParams.Empty;
        using var state = new LimitedLuaState(MaxMemoryBytes);
        KeraLua.Lua lua = state.Lua;
        state.TimeLimit = s_timeLimit;
        state.ArmBudget(MaxInstructions);
        LuaStatus status = lua.LoadBuffer(ScriptText.WithoutHeader(source), "@" + chunkName, "t");
        if (status == LuaStatus.OK)
        {
            // An empty _ENV: the file sees no global at all, not even the base library's.
            lua.NewTable();
            lua.SetUpValue(-2, 1);
            status = lua.PCall(0, 1, 0);
        }

        bool spent = state.BudgetSpent;
        state.DisarmBudget();
        if (status != LuaStatus.OK)
        {
            string message = lua.Type(-1) == LuaType.String ? lua.ToString(-1, false) : "an error that is not a message";
            error = spent
                ? $"{chunkName}: the parameters file ran out of its budget ({MaxInstructions} instructions, {s_timeLimit.TotalSeconds:0} s): it must only build a table"
                : message.Contains("malformed number", StringComparison.Ordinal)
                    ? IntegerOnlyHint.Rewrite(message)
                    : $"{chunkName}: {message} (a parameters file has no library and no globals: it only returns a table)";
            return false;
        }

        if (lua.Type(-1) != LuaType.Table)
        {
            error = $"{chunkName}: the parameters file must return a table, not {Describe(lua.Type(-1))}";
            return false;
        }

        var top = new Dictionary<string, object?>(StringComparer.Ordinal);
        int count = 0;
        if (!TryReadMap(lua, "", 0, ref count, top, out error) || !RuleParams.TryCreate(top, out parameters, out error))
        {
            error = $"{chunkName}: {error}";
            return false;
        }

        return true;
    }

    private static bool TryReadTable(KeraLua.Lua lua, string path, int depth, ref int count, out object? value, out string? error)
    {
        value = null;
        if (depth > RuleParams.MaxDepth)
        {
            error = $"params.{path} is nested deeper than {RuleParams.MaxDepth} levels";
            return false;
        }

        lua.CheckStack(4);
        // Keys 1..n and nothing else make a list; names make a map; an empty table is an empty list.
        long length = (long)lua.RawLen(-1);
        bool isList = true;
        long entries = 0;
        lua.PushNil();
        while (lua.Next(-2))
        {
            entries++;
            if (!lua.IsInteger(-2) || lua.ToInteger(-2) < 1 || lua.ToInteger(-2) > length)
            {
                isList = false;
            }

            lua.Pop(1);
        }

        if (isList && entries == length)
        {
            var list = new List<object?>((int)Math.Min(length, RuleParams.MaxValues));
            for (long i = 1; i <= length; i++)
            {
                lua.RawGetInteger(-1, i);
                bool ok = TryReadValue(lua, $"{path}[{i}]", depth, ref count, out object? item, out error);
                lua.Pop(1);
                if (!ok)
                {
                    return false;
                }

                list.Add(item);
            }

            value = list;
            error = null;
            return true;
        }

        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        value = map;
        return TryReadMap(lua, path, depth, ref count, map, out error);
    }

    private static bool TryReadMap(KeraLua.Lua lua, string path, int depth, ref int count, Dictionary<string, object?> map, out string? error)
    {
        string prefix = path.Length == 0 ? "" : path + ".";
        lua.CheckStack(4);
        lua.PushNil();
        while (lua.Next(-2))
        {
            if (lua.Type(-2) != LuaType.String)
            {
                string key = lua.Type(-2) == LuaType.Number ? lua.ToInteger(-2).ToString(System.Globalization.CultureInfo.InvariantCulture) : Describe(lua.Type(-2));
                lua.Pop(2);
                error = $"params.{path}[{key}] mixes a list and names: a table is either a list (1, 2, 3...) or a map of names";
                return false;
            }

            string name = Encoding.UTF8.GetString(lua.ToBuffer(-2, false) ?? []);
            bool ok = TryReadValue(lua, prefix + name, depth, ref count, out object? item, out error);
            lua.Pop(1);
            if (!ok)
            {
                lua.Pop(1);
                return false;
            }

            map[name] = item;
        }

        error = null;
        return true;
    }

    private static bool TryReadValue(KeraLua.Lua lua, string path, int depth, ref int count, out object? value, out string? error)
    {
        value = null;
        error = null;
        if (++count > RuleParams.MaxValues)
        {
            error = $"params: more than {RuleParams.MaxValues} values";
            return false;
        }

        switch (lua.Type(-1))
        {
            case LuaType.String:
                value = Encoding.UTF8.GetString(lua.ToBuffer(-1, false) ?? []);
                return true;
            case LuaType.Boolean:
                value = lua.ToBoolean(-1);
                return true;
            case LuaType.Number when lua.IsInteger(-1):
                value = lua.ToInteger(-1);
                return true;
            case LuaType.Table:
                return TryReadTable(lua, path, depth + 1, ref count, out value, out error);
            default:
                error = $"params.{path} is {Describe(lua.Type(-1))}: parameters are strings, integers, booleans and tables of them";
                return false;
        }
    }

    private static string Describe(LuaType type) => type switch
    {
        LuaType.None or LuaType.Nil => "nil",
        LuaType.Boolean => "a boolean",
        LuaType.Number => "a number",
        LuaType.String => "a string",
        LuaType.Table => "a table",
        LuaType.Function => "a function",
        LuaType.Thread => "a coroutine",
        _ => "a userdata",
    };
}
