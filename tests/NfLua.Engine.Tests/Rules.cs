using NfLua.Scripting;

namespace NfLua.Engine.Tests;

internal static class Rules
{
    /// <summary>Default limits with a wall-clock allowance that a busy CI machine cannot exceed by accident.</summary>
    public static readonly RuleLimits Relaxed = new() { MaxCallTime = TimeSpan.FromSeconds(2) };

    public static LuaRule Make(string name, string body, RuleLimits? limits = null) =>
        LuaRule.Compile(name, $"function filter(pkt)\n{body}\nend\n", name + ".lua", limits ?? Relaxed);
}
