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

    /// <summary>Default flows <c>nflua.flow</c> keeps per rule.</summary>
    public const int DefaultMaxFlows = 4096;

    // The bounds of every limit: the one place the configuration, the control socket and nflua-ctl take them from.

    /// <summary>Allowed <see cref="MaxInstructions"/>.</summary>
    public static LimitRange InstructionRange { get; } = new(1000, 1_000_000_000_000);

    /// <summary>Allowed <see cref="MaxMemoryBytes"/>.</summary>
    public static LimitRange MemoryRange { get; } = new(64 * 1024, 4L * 1024 * 1024 * 1024);

    /// <summary>Allowed <see cref="MaxCallTime"/>, in milliseconds.</summary>
    public static LimitRange CallTimeMsRange { get; } = new(1, 10_000);

    /// <summary>Allowed <see cref="MaxFlows"/>.</summary>
    public static LimitRange FlowRange { get; } = new(1, 1_000_000);

    /// <summary>Allowed <see cref="MaxCompileTime"/>, in milliseconds.</summary>
    public static LimitRange CompileTimeMsRange { get; } = new(1, 60_000);

    /// <summary>Budget per <c>filter</c> call, in units: a VM instruction or a C function call costs one; C loops and allocations charge in proportion (docs/internals.md).</summary>
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
    public int MaxFlows { get; init; } = DefaultMaxFlows;

    /// <summary>A flow's state is forgotten after this long without packets.</summary>
    public TimeSpan FlowIdleTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The verdict a packet gets when the rule fails on it (error, limit, bad return value).</summary>
    public ErrorVerdict OnError { get; init; } = ErrorVerdict.Accept;

    /// <summary>Every problem with these limits; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!InstructionRange.Contains(MaxInstructions))
        {
            problems.Add($"max-instructions must be between {InstructionRange.Min} and 10^12, not {MaxInstructions}");
        }

        if (!MemoryRange.Contains(MaxMemoryBytes))
        {
            problems.Add($"max-memory must be between 64 KiB and 4 GiB, not {MaxMemoryBytes}");
        }

        if (MaxCallTime <= TimeSpan.Zero || MaxCallTime > TimeSpan.FromMilliseconds(CallTimeMsRange.Max))
        {
            problems.Add($"max-call-time must be above 0 and at most 10 s, not {MaxCallTime}");
        }

        if (MaxCompileInstructions is { } compile && !InstructionRange.Contains(compile))
        {
            problems.Add($"compile-instructions must be between {InstructionRange.Min} and 10^12, not {MaxCompileInstructions}");
        }

        if (MaxCompileTime <= TimeSpan.Zero || MaxCompileTime > TimeSpan.FromMilliseconds(CompileTimeMsRange.Max))
        {
            problems.Add($"compile-time must be above 0 and at most 60 s, not {MaxCompileTime}");
        }

        if (!FlowRange.Contains(MaxFlows))
        {
            problems.Add($"max-flows must be between {FlowRange.Min} and {FlowRange.Max}, not {MaxFlows}");
        }

        return problems;
    }
}

/// <summary>The inclusive bounds of one limit.</summary>
/// <param name="Min">The smallest value allowed.</param>
/// <param name="Max">The largest value allowed.</param>
public readonly record struct LimitRange(long Min, long Max)
{
    /// <summary>Whether <paramref name="value"/> lies within the bounds.</summary>
    public bool Contains(long value) => value >= Min && value <= Max;
}

/// <summary>What a failing rule's packet gets.</summary>
public enum ErrorVerdict
{
    /// <summary>Accept the packet (fail open).</summary>
    Accept,

    /// <summary>Drop the packet (fail closed).</summary>
    Drop,
}

/// <summary>The words of <see cref="ErrorVerdict"/> (on_error = "accept" | "drop"), in one place.</summary>
public static class ErrorVerdicts
{
    /// <summary>"accept" or "drop".</summary>
    public static string Word(ErrorVerdict verdict) => verdict == ErrorVerdict.Drop ? "drop" : "accept";

    /// <summary>The verdict a word names; false for anything but "accept" and "drop".</summary>
    public static bool TryParse(string? word, out ErrorVerdict verdict)
    {
        verdict = word == "drop" ? ErrorVerdict.Drop : ErrorVerdict.Accept;
        return word is "accept" or "drop";
    }
}
