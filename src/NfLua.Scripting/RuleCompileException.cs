namespace NfLua.Scripting;

/// <summary>A rule script that cannot become a rule: its message names the file and line.</summary>
public sealed class RuleCompileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RuleCompileException()
    {
    }

    /// <summary>Creates the exception with a message such as "ssh.lua:3: unexpected symbol near '='".</summary>
    public RuleCompileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public RuleCompileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
