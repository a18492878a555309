using System.Text.Json.Serialization;

namespace NfLua.Control;

/// <summary>Puts a rule in monitor mode (its verdicts counted, not applied) or back to enforcing, keeping its state.</summary>
/// <param name="Name">The rule.</param>
/// <param name="Monitor">True: monitor; false: enforce.</param>
public sealed record ModeRequest(string Name, bool Monitor) : ControlCommand
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override ControlOp Op => ControlOp.Mode;
}

/// <summary>The rule a <see cref="ModeRequest"/> switched, as it is now.</summary>
/// <param name="Name">The rule.</param>
/// <param name="Queues">Every queue it is on.</param>
/// <param name="Mode">"monitor" or "enforce".</param>
public sealed record ModeResult(string Name, IReadOnlyList<int> Queues, string Mode) : ControlResult;
