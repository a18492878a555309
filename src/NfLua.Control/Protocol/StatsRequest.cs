using System.Text.Json.Serialization;

namespace NfLua.Control;

/// <summary>Ask for the counters of every queue and rule.</summary>
/// <param name="Queue">Only this queue and its rules when given.</param>
public sealed record StatsRequest(int? Queue = null) : ControlCommand
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override ControlOp Op => ControlOp.Stats;
}
