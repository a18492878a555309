using System.Text.Json.Serialization;

namespace NfLua.Control;

/// <summary>The arguments of one operation: <see cref="LoadRequest"/>, <see cref="UnloadRequest"/>, <see cref="ListRequest"/>,
/// <see cref="StatsRequest"/>, <see cref="StatusRequest"/> or <see cref="ReloadRequest"/>.</summary>
public abstract record ControlCommand
{
    /// <summary>The operation these arguments belong to (the envelope's <c>"op"</c>).</summary>
    [JsonIgnore]
    public abstract ControlOp Op { get; }
}
