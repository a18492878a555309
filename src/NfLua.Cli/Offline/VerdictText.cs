using NfLua.Scripting;

namespace NfLua.Cli.Offline;

/// <summary>The words <c>test</c> prints for verdicts and failures (the words a rule returns).</summary>
internal static class VerdictText
{
    public static string Verdict(FilterVerdict verdict) => verdict switch
    {
        FilterVerdict.Pass => "pass",
        FilterVerdict.Accept => "accept",
        FilterVerdict.Drop => "drop",
        FilterVerdict.Repeat => "repeat",
        FilterVerdict.Stop => "stop",
        FilterVerdict.Reject => "reject",
        _ => "queue",
    };

    public static string? Failure(RuleFailure failure) => failure switch
    {
        RuleFailure.None => null,
        RuleFailure.ScriptError => "script-error",
        RuleFailure.InstructionLimit => "instruction-limit",
        RuleFailure.TimeLimit => "time-limit",
        RuleFailure.MemoryLimit => "memory-limit",
        _ => "bad-return",
    };
}
