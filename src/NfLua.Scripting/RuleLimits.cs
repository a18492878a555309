namespace NfLua.Scripting;

/// <summary>What a rule may spend on one packet and hold in memory, and what its packets get when it fails.</summary>
public sealed record RuleLimits
{
    /// <summary>Default instructions per <c>filter</c> call: a few milliseconds of Lua at most.</summary>
    public const long DefaultMaxInstructions = 1_000_000;

    /// <summary>Default bytes one rule state may hold.</summary>
    public const long DefaultMaxMemoryBytes = 8L * 1024 * 1024;

    /// <summary>Default wall-clock time per call.</summary>
    public static readonly TimeSpan DefaultMaxCallTime = TimeSpan.FromMilliseconds(20);

    /// <summary>VM instructions per <c>filter</c> call (Lua's own long C loops, such as pattern matching, charge it too).</summary>
    public long MaxInstructions { get; init; } = DefaultMaxInstructions;

    /// <summary>Bytes the rule's Lua state may hold; allocations past it fail with "not enough memory".</summary>
    public long MaxMemoryBytes { get; init; } = DefaultMaxMemoryBytes;

    /// <summary>Wall-clock time per call, read when the call starts, every 1024 budget units, and when it returns (a late return fails too).</summary>
    public TimeSpan MaxCallTime { get; init; } = DefaultMaxCallTime;

    /// <summary>
    /// Budget units the main chunk may spend when the rule is loaded (building tables, parsing lists):
    /// separate from the per-packet budget. Null: <see cref="CompileBudgetFactor"/> times <see cref="MaxInstructions"/>.
    /// </summary>
    public long? MaxCompileInstructions { get; init; }

    /// <summary>Wall-clock time the main chunk may take when the rule is loaded.</summary>
    public TimeSpan MaxCompileTime { get; init; } = DefaultMaxCompileTime;

    /// <summary>Default wall-clock time of the main chunk.</summary>
    public static readonly TimeSpan DefaultMaxCompileTime = TimeSpan.FromSeconds(1);

    /// <summary>The main chunk's default budget, in per-call budgets.</summary>
    public const long CompileBudgetFactor = 100;

    /// <summary>The budget the main chunk runs under.</summary>
    public long CompileInstructions => MaxCompileInstructions ?? Math.Min(MaxInstructions * CompileBudgetFactor, 1_000_000_000_000);

    /// <summary>Flows whose state <c>nflua.flow</c> keeps at once; the least recently seen is forgotten first.</summary>
    public int MaxFlows { get; init; } = 4096;

    /// <summary>A flow's state is forgotten after this long without packets.</summary>
    public TimeSpan FlowIdleTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The verdict a packet gets when the rule fails on it (error, limit, bad return value).</summary>
    public ErrorVerdict OnError { get; init; } = ErrorVerdict.Accept;

    /// <summary>Every problem with these limits; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxInstructions is < 1000 or > 1_000_000_000_000)
        {
            problems.Add($"max-instructions must be between 1000 and 10^12, not {MaxInstructions}");
        }

        if (MaxMemoryBytes is < 64 * 1024 or > 4L * 1024 * 1024 * 1024)
        {
            problems.Add($"max-memory must be between 64 KiB and 4 GiB, not {MaxMemoryBytes}");
        }

        if (MaxCallTime <= TimeSpan.Zero || MaxCallTime > TimeSpan.FromSeconds(10))
        {
            problems.Add($"max-call-time must be above 0 and at most 10 s, not {MaxCallTime}");
        }

        if (MaxCompileInstructions is < 1000 or > 1_000_000_000_000)
        {
            problems.Add($"compile-instructions must be between 1000 and 10^12, not {MaxCompileInstructions}");
        }

        if (MaxCompileTime <= TimeSpan.Zero || MaxCompileTime > TimeSpan.FromSeconds(60))
        {
            problems.Add($"compile-time must be above 0 and at most 60 s, not {MaxCompileTime}");
        }

        if (MaxFlows is < 1 or > 1_000_000)
        {
            problems.Add($"max-flows must be between 1 and 1000000, not {MaxFlows}");
        }

        return problems;
    }
}

/// <summary>What a failing rule's packet gets.</summary>
public enum ErrorVerdict
{
    /// <summary>Accept the packet (fail open).</summary>
    Accept,

    /// <summary>Drop the packet (fail closed).</summary>
    Drop,
}
