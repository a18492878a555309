namespace NfLua.Control;

/// <summary>The counters of every queue and rule.</summary>
/// <param name="Queues">Per-queue counters.</param>
/// <param name="Rules">Per-rule counters, in evaluation order per queue.</param>
public sealed record StatsResult(IReadOnlyList<QueueStats> Queues, IReadOnlyList<RuleStats> Rules) : ControlResult;
