namespace NfLua.Control;

/// <summary>A named set as <c>nflua-ctl set list</c> shows it.</summary>
/// <param name="Name">The set's name (<c>nflua.set(NAME)</c>).</param>
/// <param name="Kind">"cidr", "domain" or "string".</param>
/// <param name="Entries">How many entries it was built from.</param>
/// <param name="MemoryBytes">Bytes its structures take (outside every rule's Lua heap).</param>
/// <param name="MaxMemory">The most it may take (the configuration's <c>max_memory</c>).</param>
/// <param name="File">The file the configuration reads it from.</param>
/// <param name="Source">"file" (as read from <paramref name="File"/>) or "nflua-ctl" (changed at run time, kept in the state directory).</param>
public sealed record SetInfo(string Name, string Kind, int Entries, long MemoryBytes, long MaxMemory, string File, string Source);
