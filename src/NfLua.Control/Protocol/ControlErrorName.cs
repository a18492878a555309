namespace NfLua.Control;

/// <summary>The kind of an error carried in a response; serialized as its name (<c>"NotFound"</c>, ...).</summary>
public enum ControlErrorName
{
    /// <summary>Something unexpected failed inside the daemon.</summary>
    Internal,

    /// <summary>The named rule (or queue) does not exist.</summary>
    NotFound,

    /// <summary>The request is malformed: invalid JSON, a missing or mistyped field, a broken frame.</summary>
    BadRequest,

    /// <summary>The rule script did not compile; the message carries file, line and reason.</summary>
    CompileError,

    /// <summary>The peer is neither root nor a member of the configured group.</summary>
    Forbidden,

    /// <summary>The operation is unknown or not supported by this daemon.</summary>
    Unsupported,

    /// <summary>A frame over <see cref="ControlProtocol.MaxFrameBytes"/>.</summary>
    TooLarge,

    /// <summary>The envelope's <c>"v"</c> is not <see cref="ControlProtocol.Version"/>.</summary>
    VersionMismatch,

    /// <summary>The daemon cannot do it now and changed nothing: a queue another program holds, a state file it cannot write.</summary>
    Unavailable,

    /// <summary>Every connection slot is in use: the daemon refused the connection before reading from it (nothing
    /// was done, so the request can be sent again), or closed an idle connection to make room for another.</summary>
    Busy,
}
