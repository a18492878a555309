namespace NfLua.Scripting;

/// <summary>What a rule decided for one packet.</summary>
public enum FilterVerdict
{
    /// <summary><c>true</c> or "pass": on to the queue's next rule (ACCEPT after the last one).</summary>
    Pass,

    /// <summary>"accept": accept now; later rules are skipped.</summary>
    Accept,

    /// <summary><c>false</c> or "drop".</summary>
    Drop,

    /// <summary>"repeat": the kernel re-runs the hook (pair it with a mark that a rule before the queue skips).</summary>
    Repeat,

    /// <summary>"stop": accept, and stop netfilter's traversal of this hook.</summary>
    Stop,

    /// <summary>"queue", N: send the packet to queue N.</summary>
    Queue,

    /// <summary>"reject": drop and tell the sender (a TCP reset, else ICMP port unreachable), through the queue's
    /// reject_mark and the kernel's REJECT target; a plain drop where the queue has no reject_mark.</summary>
    Reject,
}

/// <summary>Why a rule failed on a packet.</summary>
public enum RuleFailure
{
    /// <summary>It did not fail.</summary>
    None,

    /// <summary>The script raised an error.</summary>
    ScriptError,

    /// <summary>The call ran out of instructions.</summary>
    InstructionLimit,

    /// <summary>The call ran out of wall-clock time.</summary>
    TimeLimit,

    /// <summary>The state ran out of memory.</summary>
    MemoryLimit,

    /// <summary><c>filter</c> returned something that is not a verdict.</summary>
    BadReturn,
}

/// <summary>One rule's decision on one packet.</summary>
/// <param name="Verdict">The decision (the on-error verdict when <paramref name="Failure"/> is set).</param>
/// <param name="QueueNumber">The target queue of <see cref="FilterVerdict.Queue"/>.</param>
/// <param name="Mark">The mark the script set with <c>nflua.setmark</c>, if any.</param>
/// <param name="Modified">Whether the script wrote to the packet.</param>
/// <param name="Failure">Why the rule failed, or <see cref="RuleFailure.None"/>.</param>
public readonly record struct FilterResult(
    FilterVerdict Verdict,
    ushort QueueNumber,
    uint? Mark,
    bool Modified,
    RuleFailure Failure)
{
    /// <summary>The rule that failed, which keeps the failure's message until it fails again.</summary>
    internal LuaRule? FailedRule { get; init; }

    /// <summary>Which of <see cref="FailedRule"/>'s failures this was.</summary>
    internal long FailureNumber { get; init; }

    /// <summary>
    /// The failure's message, or null when the call did not fail. A failing call copies nothing:
    /// the text is taken from the rule's state when this is read, which must happen on the thread
    /// that runs the rule and before the rule's next failure (later, it says that it is gone).
    /// </summary>
    public string? Error => FailedRule?.FailureText(FailureNumber);
}
