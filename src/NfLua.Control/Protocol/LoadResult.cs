using System.Text.Json.Serialization;

namespace NfLua.Control;

/// <summary>The rule a <see cref="LoadRequest"/> installed.</summary>
/// <param name="Rule">The rule as it now stands.</param>
/// <param name="Replaced">True when a rule of the same name was replaced.</param>
/// <param name="MovedFrom">The queues the rule of that name was on and left (null or empty: it did not move).</param>
/// <param name="RuntimeOnly">True when the rule is not kept across a restart (--no-persist, or a configured name).</param>
/// <param name="Note">Why it is runtime only when the client did not ask for it, or other news about the load.</param>
public sealed record LoadResult(
    RuleInfo Rule,
    bool Replaced,
    IReadOnlyList<int>? MovedFrom = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool RuntimeOnly = false,
    string? Note = null) : ControlResult;
