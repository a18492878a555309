namespace NfLua.Control;

/// <summary>The loaded rules, ordered by queue and then by evaluation order.</summary>
/// <param name="Rules">The rules.</param>
public sealed record ListResult(IReadOnlyList<RuleInfo> Rules) : ControlResult;
