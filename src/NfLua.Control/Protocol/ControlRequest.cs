namespace NfLua.Control;

/// <summary>One request envelope: an id chosen by the client, echoed in the response, and the operation's arguments.</summary>
/// <param name="Id">The client's id for this request; responses carry it back (0 is used for errors not tied to a request).</param>
/// <param name="Command">The operation and its arguments.</param>
public sealed record ControlRequest(int Id, ControlCommand Command)
{
    /// <summary>The operation requested.</summary>
    public ControlOp Op => Command.Op;
}
