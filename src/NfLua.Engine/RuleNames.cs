namespace NfLua.Engine;

/// <summary>What a rule may be called: the one check the configuration, the control socket and the state file share.</summary>
public static class RuleNames
{
    /// <summary>The longest name.</summary>
    public const int MaxLength = 64;

    /// <summary>What a valid name looks like, for error messages.</summary>
    public const string Rule = "a rule name is 1-64 letters, digits, '-', '_' or '.'";

    /// <summary>Whether <paramref name="name"/> is a valid rule name.</summary>
    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= MaxLength } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
