namespace NfLua.Scripting.Messages;

/// <summary>What a rule's message is.</summary>
public enum RuleMessageKind : byte
{
    /// <summary><c>nflua.log</c>: a log line (debug, info or warning).</summary>
    Log,

    /// <summary><c>nflua.alert</c>: an event.</summary>
    Alert,

    /// <summary>A failed call: a script error or a bad return value.</summary>
    Failure,

    /// <summary>A call stopped by one of its limits (instructions, memory, time).</summary>
    Limit,
}

/// <summary>The level of an <c>nflua.log</c> line.</summary>
public enum RuleLogLevel : byte
{
    /// <summary>debug.</summary>
    Debug,

    /// <summary>info (the default).</summary>
    Info,

    /// <summary>warning.</summary>
    Warning,
}
