using System.Text.Json.Serialization;

namespace NfLua.Control;

/// <summary>Ask for the daemon's state and each queue's effective settings.</summary>
public sealed record StatusRequest : ControlCommand
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override ControlOp Op => ControlOp.Status;
}
