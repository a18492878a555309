namespace NfLua.Engine;

/// <summary>What a load did: the rule as it now stands, and the rule of that name it replaced, if any.</summary>
/// <param name="Rule">The rule loaded.</param>
/// <param name="Previous">The rule of the same name it replaced (null: a new name).</param>
public sealed record RuleChange(RuleDefinition Rule, RuleDefinition? Previous)
{
    /// <summary>The queues the rule left: it was moved from them (empty when it only gained queues or stayed).</summary>
    public IReadOnlyList<ushort> LeftQueues { get; } =
        Previous is null ? [] : [.. Previous.SortedQueues.Except(Rule.SortedQueues)];
}
