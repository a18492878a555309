namespace NfLua.Control;

/// <summary>A frame or envelope that breaks the control protocol: too large, cut short, invalid JSON, wrong version.</summary>
public sealed class ControlProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorName">The error name the daemon answers with.</param>
    /// <param name="message">What is wrong, for people.</param>
    /// <param name="requestId">The request id when it could be read before the failure, otherwise 0.</param>
    public ControlProtocolException(ControlErrorName errorName, string message, int requestId = 0)
        : base(message)
    {
        ErrorName = errorName;
        RequestId = requestId;
    }

    /// <summary>Creates an <see cref="ControlErrorName.Internal"/> exception (for serializers and tooling).</summary>
    public ControlProtocolException()
        : this(ControlErrorName.Internal, "control protocol error")
    {
    }

    /// <summary>Creates an <see cref="ControlErrorName.BadRequest"/> exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public ControlProtocolException(string message)
        : this(ControlErrorName.BadRequest, message)
    {
    }

    /// <summary>Creates an <see cref="ControlErrorName.BadRequest"/> exception with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ControlProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorName = ControlErrorName.BadRequest;
    }

    /// <summary>The error name a daemon sends back for this failure.</summary>
    public ControlErrorName ErrorName { get; }

    /// <summary>The id of the offending request when it was readable, otherwise 0.</summary>
    public int RequestId { get; }

    /// <summary>True when the byte stream can no longer be trusted (a broken frame) and the connection must close.</summary>
    public bool BreaksConnection { get; init; }
}
