using NfLua.Scripting;

namespace NfLua.Engine.Tests;

internal static class Rules
{
    public static LuaRule Make(string name, string body, RuleLimits? limits = null) =>
        LuaRule.Compile(name, $"function filter(pkt)\n{body}\nend\n", name + ".lua", limits ?? new RuleLimits());
}
