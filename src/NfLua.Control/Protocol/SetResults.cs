namespace NfLua.Control;

/// <summary>Every named set, by name.</summary>
/// <param name="Sets">The sets.</param>
public sealed record SetListResult(IReadOnlyList<SetInfo> Sets) : ControlResult;

/// <summary>A set and its entries (sorted; <paramref name="Truncated"/> when there are more).</summary>
/// <param name="Set">The set.</param>
/// <param name="Entries">Its entries in canonical form (a cidr set's overlapping networks merged).</param>
/// <param name="Truncated">Whether entries were left out (the limit asked for, or the frame's).</param>
public sealed record SetShowResult(SetInfo Set, IReadOnlyList<string> Entries, bool Truncated) : ControlResult;

/// <summary>A set after <c>set add</c>, <c>set del</c> or <c>set load</c>.</summary>
/// <param name="Set">The set as it is now.</param>
/// <param name="Changed">Entries added or removed (for a load: the entries it holds now).</param>
/// <param name="Persisted">Whether the change is kept in the state directory (false once a load read the configured file again).</param>
public sealed record SetChangeResult(SetInfo Set, int Changed, bool Persisted) : ControlResult;
