namespace NfLua.Control;

/// <summary>One request envelope: an id chosen by the client, echoed in the response, and the operation's arguments.</summary>
/// <param name="Id">The client's id for this request; responses carry it back (0 is used for errors not tied to a request).</param>
/// <param name="Command">The operation and its arguments.</param>
public sealed record ControlRequest(int Id, ControlCommand Command)
{
    /// <summary>Who sent it, as the kernel recorded the connection's peer (set by the server; null in tests and clients).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ControlPeer? Peer { get; init; }

    /// <summary>The operation requested.</summary>
    public ControlOp Op => Command.Op;
}
