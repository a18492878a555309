using System.Text.Json.Serialization;

namespace NfLua.Control;

/// <summary>Every named set.</summary>
public sealed record SetListRequest : ControlCommand
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override ControlOp Op => ControlOp.SetList;
}

/// <summary>A set's entries, sorted, at most <paramref name="Limit"/> of them (all that fit in a frame when null).</summary>
/// <param name="Name">The set's name.</param>
/// <param name="Limit">The most entries to send back.</param>
public sealed record SetShowRequest(string Name, int? Limit = null) : ControlCommand
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override ControlOp Op => ControlOp.SetShow;
}

/// <summary>Adds entries to a set (all or none: one bad value refuses them all).</summary>
/// <param name="Name">The set's name.</param>
/// <param name="Values">Networks, domains or strings, as the set's file would hold them.</param>
public sealed record SetAddRequest(string Name, IReadOnlyList<string> Values) : ControlCommand
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override ControlOp Op => ControlOp.SetAdd;
}

/// <summary>Removes entries from a set (all or none: a value that is not an entry refuses them all).</summary>
/// <param name="Name">The set's name.</param>
/// <param name="Values">Entries as <c>set show</c> lists them (other spellings of them are accepted).</param>
public sealed record SetDelRequest(string Name, IReadOnlyList<string> Values) : ControlCommand
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override ControlOp Op => ControlOp.SetDel;
}

/// <summary>Replaces a set's contents whole: with <paramref name="Text"/>, a set file's text (the CLI reads the file), or,
/// when it is null, with the set's configured file read again (run-time changes forgotten).</summary>
/// <param name="Name">The set's name.</param>
/// <param name="Text">The new contents, one entry per line as in a set file.</param>
/// <param name="Path">Where the text came from, for file:line in errors.</param>
public sealed record SetLoadRequest(string Name, string? Text = null, string? Path = null) : ControlCommand
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override ControlOp Op => ControlOp.SetLoad;
}
