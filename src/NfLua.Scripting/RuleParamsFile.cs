using System.Text;
using KeraLua;
using NfLua.Lua.Native;

namespace NfLua.Scripting;

/// <summary>
/// A parameters file (<c>nflua-ctl load --params FILE.lua</c>): a Lua chunk that returns a table, run in a state that
/// reaches nothing outside it (no io, os, package, debug, require, load), under a small instruction budget, a time
/// limit and a memory cap. Its table becomes <see cref="RuleParams"/>, checked as the configuration's params are.
/// </summary>
public static class RuleParamsFile
{
    /// <summary>Budget units the file may spend: plenty for a table of thousands of values, not for a loop that never ends.</summary>
    public const long MaxInstructions = 10_000_000;

    /// <summary>Memory the file's state may hold.</summary>
    public const long MaxMemoryBytes = 64L * 1024 * 1024;

    /// <summary>Wall-clock time the file may run.</summary>
    public static readonly TimeSpan MaxTime = TimeSpan.FromSeconds(2);

    /// <summary>Runs <paramref name="source"/> and takes the table it returns; false, with an error naming the file (and line, or key), otherwise.</summary>
    public static bool TryEvaluate(ReadOnlySpan<byte> source, string chunkName, out RuleParams parameters, out string? error)
    {
        parameters = RuleParams.Empty;
        using var state = new LimitedLuaState((nuint)MaxMemoryBytes);
        KeraLua.Lua lua = state.Lua;
        lua.OpenLibs();
        foreach (string name in (string[])["io", "os", "package", "debug", "require", "load", "loadfile", "dofile", "collectgarbage", "print", "warn"])
        {
            lua.PushNil();
            lua.SetGlobal(name);
        }

        state.TimeLimit = MaxTime;
        state.ArmBudget(MaxInstructions);
        LuaStatus status = lua.LoadBuffer(ScriptText.WithoutHeader(source), "@" + chunkName, "t");
        if (status == LuaStatus.OK)
        {
            status = lua.PCall(0, 1, 0);
        }

        state.DisarmBudget();
        if (status != LuaStatus.OK)
        {
            string message = lua.Type(-1) == LuaType.String ? lua.ToString(-1) : "an error that is not a string";
            error = !state.BudgetSpent ? message : state.TimedOut
                ? $"{chunkName}: the parameters file ran past its time limit ({MaxTime.TotalSeconds:0} s)"
                : $"{chunkName}: the parameters file ran past its budget ({MaxInstructions} instructions): it should only build a table";
            return false;
        }

        if (lua.Type(-1) != LuaType.Table)
        {
            error = $"{chunkName}: the parameters file must return a table (return {{ key = value, ... }}), not {lua.TypeName(lua.Type(-1))}";
            return false;
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        lua.PushNil();
        while (lua.Next(-2))
        {
            if (lua.Type(-2) != LuaType.String)
            {
                error = $"{chunkName}: parameters are named values (key = value); the table has a key of type {lua.TypeName(lua.Type(-2))}";
                return false;
            }

            string key = lua.ToString(-2);
            if (!TryRead(lua, key, 0, out object? value, out error))
            {
                error = $"{chunkName}: {error}";
                return false;
            }

            values[key] = value;
            lua.Pop(1);
        }

        if (!RuleParams.TryCreate(values, out parameters, out error))
        {
            error = $"{chunkName}: {error}";
            return false;
        }

        return true;
    }

    /// <summary>The value on top of the stack, as RuleParams takes it (the stack is left as it was).</summary>
    private static bool TryRead(KeraLua.Lua lua, string path, int depth, out object? value, out string? error)
    {
        value = null;
        error = null;
        switch (lua.Type(-1))
        {
            case LuaType.String:
                value = Encoding.UTF8.GetString(lua.ToBuffer(-1, callMetamethod: false) ?? []);
                return true;
            case LuaType.Boolean:
                value = lua.ToBoolean(-1);
                return true;
            case LuaType.Number:
                value = lua.ToInteger(-1);
                return true;
            case LuaType.Table when depth < RuleParams.MaxDepth:
                return TryReadTable(lua, path, depth, out value, out error);
            case LuaType.Table:
                error = $"params.{path} is nested deeper than {RuleParams.MaxDepth} levels";
                return false;
            default:
                error = $"params.{path} is a {lua.TypeName(lua.Type(-1))}: parameters are strings, integers, booleans and tables of them";
                return false;
        }
    }

    private static bool TryReadTable(KeraLua.Lua lua, string path, int depth, out object? value, out string? error)
    {
        value = null;
        error = null;
        long length = lua.RawLen(-1);
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        var list = new List<object?>();
        int count = 0;
        lua.PushNil();
        while (lua.Next(-2))
        {
            count++;
            string childPath;
            bool named = lua.Type(-2) == LuaType.String;
            if (named)
            {
                childPath = $"{path}.{lua.ToString(-2)}";
            }
            else if (lua.IsInteger(-2) && lua.ToInteger(-2) is >= 1 and var index && index <= length)
            {
                childPath = $"{path}[{index}]";
            }
            else
            {
                lua.Pop(2);
                error = $"params.{path} has a key that is neither a name nor a list index from 1 to its length";
                return false;
            }

            if (!TryRead(lua, childPath, depth + 1, out object? item, out error))
            {
                lua.Pop(2);
                return false;
            }

            if (named)
            {
                map[lua.ToString(-2)] = item;
            }

            lua.Pop(1);
        }

        if (map.Count > 0 && map.Count != count)
        {
            error = $"params.{path} mixes a list and named keys: give it one or the other";
            return false;
        }

        if (map.Count > 0)
        {
            value = map;
            return true;
        }

        for (long i = 1; i <= length; i++)
        {
            lua.RawGetInteger(-1, i);
            if (!TryRead(lua, $"{path}[{i}]", depth + 1, out object? item, out error))
            {
                lua.Pop(1);
                return false;
            }

            list.Add(item);
            lua.Pop(1);
        }

        value = list;
        return true;
    }
}
