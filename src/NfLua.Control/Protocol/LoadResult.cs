namespace NfLua.Control;

/// <summary>The rule a <see cref="LoadRequest"/> installed.</summary>
/// <param name="Rule">The rule as it now stands.</param>
/// <param name="Replaced">True when a rule of the same name was replaced.</param>
public sealed record LoadResult(RuleInfo Rule, bool Replaced) : ControlResult;
