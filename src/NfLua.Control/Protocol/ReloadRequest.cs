using System.Text.Json.Serialization;

namespace NfLua.Control;

/// <summary>Ask the daemon to read its configuration again and apply it.</summary>
public sealed record ReloadRequest : ControlCommand
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override ControlOp Op => ControlOp.Reload;
}
