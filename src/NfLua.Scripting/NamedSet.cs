using NfLua.Packets.Sets;

namespace NfLua.Scripting;

/// <summary>
/// A named set as rules hold it: the name and kind stay, the contents are replaced whole by the host
/// (a reload, <c>nflua-ctl set load</c>). A packet sees the old set or the new one, never a mix.
/// </summary>
public sealed class NamedSet
{
    private volatile IMatchSet _current;

    /// <summary>A named set with its first contents.</summary>
    public NamedSet(string name, IMatchSet contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        Name = name;
        Kind = contents.Kind;
        _current = contents;
    }

    /// <summary>The set's name (<c>nflua.set(NAME)</c>).</summary>
    public string Name { get; }

    /// <summary>What the set holds: fixed for the set's life.</summary>
    public SetKind Kind { get; }

    /// <summary>The current contents.</summary>
    public IMatchSet Current => _current;

    /// <summary>Replaces the contents, atomically.</summary>
    /// <exception cref="ArgumentException">The new contents are of another kind.</exception>
    public void Replace(IMatchSet contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        if (contents.Kind != Kind)
        {
            throw new ArgumentException($"set {Name} holds {Kind} entries, not {contents.Kind}", nameof(contents));
        }

        _current = contents;
    }
}
