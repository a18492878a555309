namespace NfLua.Scripting.Tests;

internal static class RuleHarness
{
    /// <summary>Default limits with a wall-clock allowance that a busy CI machine cannot exceed by accident.</summary>
    public static readonly RuleLimits Relaxed = new() { MaxCallTime = TimeSpan.FromSeconds(2) };

    /// <summary>Compiles a rule whose filter is <paramref name="body"/> (with pkt in scope).</summary>
    public static LuaRule Rule(string body, RuleLimits? limits = null, string prelude = "") =>
        LuaRule.Compile("test", $"{prelude}\nfunction filter(pkt)\n{body}\nend\n", "test.lua", limits ?? Relaxed);

    /// <summary>Runs <paramref name="body"/> once on <paramref name="packet"/>.</summary>
    public static FilterResult Run(string body, byte[] packet, RuleLimits? limits = null, string prelude = "")
    {
        using LuaRule rule = Rule(body, limits, prelude);
        return rule.Filter(packet);
    }

    /// <summary>Asserts that a filter body (which returns a boolean) returns true without failing.</summary>
    public static void AssertPasses(string body, byte[] packet)
    {
        FilterResult result = Run(body, packet);
        Assert.True(result.Failure == RuleFailure.None, $"{body}: {result.Error}");
        Assert.True(result.Verdict == FilterVerdict.Pass, $"returned false: {body}");
    }

    /// <summary>Asserts that the script's condition held (the filter returns pass when true, drop when false).</summary>
    public static void AssertHolds(string condition, byte[]? packet = null, string prelude = "")
    {
        FilterResult result = Run($"return ({condition}) == true", packet ?? [0x45, 0, 0, 20], prelude: prelude);
        Assert.True(result.Failure == RuleFailure.None, $"{condition}: {result.Error}");
        Assert.True(result.Verdict == FilterVerdict.Pass, $"does not hold: {condition}");
    }
}
