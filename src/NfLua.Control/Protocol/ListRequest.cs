using System.Text.Json.Serialization;

namespace NfLua.Control;

/// <summary>List the loaded rules per queue in evaluation order.</summary>
/// <param name="Queue">Only this queue's rules when given.</param>
public sealed record ListRequest(int? Queue = null) : ControlCommand
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override ControlOp Op => ControlOp.List;
}
