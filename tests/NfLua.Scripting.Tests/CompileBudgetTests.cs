namespace NfLua.Scripting.Tests;

/// <summary>The main chunk runs once at load under a budget of its own, not under the per-packet limits.</summary>
public sealed class CompileBudgetTests
{
    private const string BuildsAList = """
        local names = {}
        for i = 1, 100000 do names["host" .. i .. ".example"] = true end
        function filter(pkt) return names["host7.example"] == true end
        """;

    [Fact]
    public void MainChunk_MayDoMoreThanOnePacketsWork()
    {
        // 100,000 entries cost far more than a call's million units: the compile budget (100 times it) pays.
        using LuaRule rule = LuaRule.Compile("list", BuildsAList, "list.lua", new RuleLimits { MaxMemoryBytes = 32 << 20, MaxCompileTime = TimeSpan.FromSeconds(30) });
        FilterResult result = rule.Filter([1]);
        Assert.Equal(RuleFailure.None, result.Failure);
        Assert.Equal(FilterVerdict.Pass, result.Verdict);
    }

    [Fact]
    public void FilterCall_DoingTheSameWork_IsStoppedByThePerCallBudget()
    {
        using LuaRule rule = LuaRule.Compile("list", """
            function filter(pkt)
              local names = {}
              for i = 1, 100000 do names["host" .. i .. ".example"] = true end
              return names["host7.example"] == true
            end
            """, "list.lua", new RuleLimits { MaxMemoryBytes = 32 << 20, MaxCallTime = TimeSpan.FromSeconds(10) });
        FilterResult result = rule.Filter([1]);
        Assert.Equal(RuleFailure.InstructionLimit, result.Failure);
        Assert.Contains("1000000 per call; raise it with max_instructions or --max-instructions", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void MainChunk_OverItsCompileBudget_IsRefusedNamingTheLimitAndTheOption()
    {
        var ex = Assert.Throws<RuleCompileException>(() => LuaRule.Compile("list", BuildsAList, "list.lua",
            new RuleLimits { MaxCompileInstructions = 100_000, MaxCompileTime = TimeSpan.FromSeconds(30) }));
        Assert.StartsWith("list.lua:2:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("compile budget (100000 instructions; raise it with compile_instructions or --compile-instructions)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MainChunk_OverItsCompileTime_IsRefusedNamingTheLimitAndTheOption()
    {
        var ex = Assert.Throws<RuleCompileException>(() => LuaRule.Compile("spin", "while true do end", "spin.lua",
            new RuleLimits { MaxCompileInstructions = 1_000_000_000_000, MaxCompileTime = TimeSpan.FromMilliseconds(50) }));
        Assert.StartsWith("spin.lua:1:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("compile time (50 ms; raise it with compile_time_ms or --compile-time)", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(999L, null)]
    [InlineData(null, 0)]
    [InlineData(null, 61_000)]
    public void CompileLimits_OutOfRange_AreRefused(long? instructions, int? milliseconds)
    {
        var limits = new RuleLimits
        {
            MaxCompileInstructions = instructions,
            MaxCompileTime = milliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : RuleLimits.DefaultMaxCompileTime,
        };
        Assert.Single(limits.Validate());
    }
}
