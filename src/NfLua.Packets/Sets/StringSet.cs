using System.Text;

namespace NfLua.Packets.Sets;

/// <summary>Strings matched exactly, byte for byte (user agents, certificate fingerprints, ...).</summary>
public sealed class StringSet : IMatchSet
{
    private readonly ByteStringTable _table;

    private StringSet(ByteStringTable table) => _table = table;

    /// <inheritdoc/>
    public SetKind Kind => SetKind.Exact;

    /// <inheritdoc/>
    public int Count => _table.Count;

    /// <inheritdoc/>
    public long MemoryBytes => _table.MemoryBytes;

    /// <summary>Builds a set from strings, as UTF-8 bytes (duplicates are fine).</summary>
    public static StringSet Build(IReadOnlyList<byte[]> entries, uint seed) => new(new ByteStringTable(entries, seed));

    /// <inheritdoc/>
    public bool Contains(ReadOnlySpan<byte> text) => _table.Contains(text);

    /// <inheritdoc/>
    public IEnumerable<string> Entries() => _table.Entries().Select(e => Encoding.UTF8.GetString(e));
}
