namespace NfLua.Control;

/// <summary>The daemon could not be reached: no socket at the path, nobody listening, no permission to connect, or the
/// connection closed before an answer came. Errors the daemon answers with are responses, not this exception.</summary>
public sealed class DaemonUnreachableException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, naming the socket path.</param>
    public DaemonUnreachableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">What went wrong, naming the socket path.</param>
    /// <param name="innerException">The socket error.</param>
    public DaemonUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public DaemonUnreachableException()
        : base("the NfLua daemon is unreachable")
    {
    }
}
