using System.Text;

namespace NfLua.Packets.Sets;

/// <summary>
/// Domain names, each matching itself and every name under it: <c>example.com</c> matches
/// <c>example.com</c>, <c>www.example.com</c> and <c>a.b.example.com</c>, not <c>notexample.com</c>.
/// Case-insensitive (ASCII), a trailing dot ignored. A lookup is one right-to-left pass over the
/// name, probing each suffix that starts at a label as it goes: no copy, no allocation.
/// </summary>
public sealed class DomainSet : IMatchSet
{
    /// <summary>The longest name in text form (RFC 1035: 253 characters without the trailing dot).</summary>
    public const int MaxNameLength = 253;

    private readonly ByteStringTable _table;

    private DomainSet(ByteStringTable table) => _table = table;

    /// <inheritdoc/>
    public SetKind Kind => SetKind.Domain;

    /// <inheritdoc/>
    public int Count => _table.Count;

    /// <inheritdoc/>
    public long MemoryBytes => _table.MemoryBytes;

    /// <summary>Builds a set from names already in canonical form (<see cref="TryCanonicalize"/>).</summary>
    public static DomainSet Build(IReadOnlyList<byte[]> canonicalNames, uint seed) => new(new ByteStringTable(canonicalNames, seed));

    /// <summary>
    /// A name as the set stores it: lowercase ASCII, no trailing dot; labels of 1 to 63 letters,
    /// digits, hyphens or underscores; at most 253 characters.
    /// </summary>
    public static bool TryCanonicalize(ReadOnlySpan<byte> name, out byte[] canonical, out string? error)
    {
        canonical = [];
        if (name.Length > 0 && name[^1] == (byte)'.')
        {
            name = name[..^1];
        }

        if (name.IsEmpty)
        {
            error = "a domain name is missing";
            return false;
        }

        if (name.Length > MaxNameLength)
        {
            error = $"a domain name has at most {MaxNameLength} characters";
            return false;
        }

        var bytes = new byte[name.Length];
        int label = 0;
        for (int i = 0; i < name.Length; i++)
        {
            byte c = name[i];
            if (c == (byte)'.')
            {
                if (label == 0)
                {
                    error = "a domain name has an empty label (two dots, or a leading dot)";
                    return false;
                }

                label = 0;
            }
            else if (char.IsAsciiLetterOrDigit((char)c) || c is (byte)'-' or (byte)'_')
            {
                if (++label > 63)
                {
                    error = "a label of a domain name has at most 63 characters";
                    return false;
                }
            }
            else
            {
                error = c == (byte)'*'
                    ? "write the domain without '*.': an entry matches every name under it already"
                    : $"'{(c is >= 32 and < 127 ? ((char)c).ToString() : $"\\x{c:X2}")}' cannot be in a domain name (letters, digits, '-', '_' and '.'; internationalised names in their xn-- form)";
                return false;
            }

            bytes[i] = (byte)char.ToLowerInvariant((char)c);
        }

        canonical = bytes;
        error = null;
        return true;
    }

    /// <summary>Whether the name (as sent on the wire in text form, any case, a trailing dot or not) or a domain above it is in the set.</summary>
    public bool Contains(ReadOnlySpan<byte> text)
    {
        ReadOnlySpan<byte> name = text;
        if (name.Length > 0 && name[^1] == (byte)'.')
        {
            name = name[..^1];
        }

        if (name.IsEmpty || name.Length > MaxNameLength)
        {
            return false;
        }

        Span<byte> lower = stackalloc byte[name.Length];
        ulong hash = _table.Seed;
        for (int i = name.Length - 1; i >= 0; i--)
        {
            byte c = name[i];
            if (c == (byte)'.')
            {
                // name[i + 1 ..] is a whole suffix of labels: is it in the set?
                if (_table.Contains(lower[(i + 1)..], ByteStringTable.Finish(hash)))
                {
                    return true;
                }
            }

            lower[i] = c is >= (byte)'A' and <= (byte)'Z' ? (byte)(c | 0x20) : c;
            hash = ByteStringTable.Step(hash, lower[i]);
        }

        return _table.Contains(lower, ByteStringTable.Finish(hash));
    }

    /// <inheritdoc/>
    public IEnumerable<string> Entries() => _table.Entries().Select(e => Encoding.ASCII.GetString(e));
}
