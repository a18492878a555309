using System.Text.Json.Serialization;

namespace NfLua.Control;

/// <summary>Remove rule <paramref name="Name"/>; <see cref="ControlErrorName.NotFound"/> when there is none.</summary>
/// <param name="Name">The rule's name.</param>
public sealed record UnloadRequest(string Name) : ControlCommand
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override ControlOp Op => ControlOp.Unload;
}
