namespace NfLua.Packets.Sets;

/// <summary>An immutable set that rules ask about: built once, then only read, from any thread.</summary>
public interface IMatchSet
{
    /// <summary>What the set holds.</summary>
    SetKind Kind { get; }

    /// <summary>How many entries were loaded into it.</summary>
    int Count { get; }

    /// <summary>Bytes the set's structures take.</summary>
    long MemoryBytes { get; }

    /// <summary>Whether the set matches <paramref name="text"/> (address text, a domain name or a string, as UTF-8).</summary>
    bool Contains(ReadOnlySpan<byte> text);

    /// <summary>The entries in a canonical form, in no particular order (for listing a set).</summary>
    IEnumerable<string> Entries();
}
