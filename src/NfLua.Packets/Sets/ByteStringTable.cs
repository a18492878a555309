using System.Runtime.CompilerServices;

namespace NfLua.Packets.Sets;

/// <summary>
/// An immutable hash set of byte strings: every entry in one byte array, an open-addressing table of
/// entry numbers, no object per entry. The hash runs from an entry's last byte to its first, so a
/// caller can probe every suffix of a name in one right-to-left pass (<see cref="DomainSet"/>).
/// </summary>
internal sealed class ByteStringTable
{
    private readonly byte[] _bytes;
    private readonly int[] _starts;   // entry i is _bytes[_starts[i] .. _starts[i + 1])
    private readonly int[] _slots;    // entry number + 1; 0 is empty
    private readonly uint[] _hashes;  // entry i's hash
    private readonly int _mask;

    public ByteStringTable(IReadOnlyList<byte[]> entries, uint seed)
    {
        Seed = seed;
        long total = 0;
        foreach (byte[] entry in entries)
        {
            total += entry.Length;
        }

        if (total > Array.MaxLength)
        {
            throw new ArgumentException("the entries take more than 2 GiB", nameof(entries));
        }

        _bytes = new byte[total];
        _starts = new int[entries.Count + 1];
        _hashes = new uint[entries.Count];
        int size = 16;
        while (size < entries.Count * 2)
        {
            size <<= 1;
        }

        _slots = new int[size];
        _mask = size - 1;
        int offset = 0;
        for (int i = 0; i < entries.Count; i++)
        {
            byte[] entry = entries[i];
            _starts[i] = offset;
            entry.CopyTo(_bytes, offset);
            offset += entry.Length;
            _starts[i + 1] = offset;
            uint hash = Finish(HashBackwards(seed, entry));
            if (Find(entry, hash) >= 0)
            {
                continue; // a duplicate: the first copy stays
            }

            _hashes[i] = hash;
            int slot = (int)hash & _mask;
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & _mask;
            }

            _slots[slot] = i + 1;
            Count++;
        }
    }

    /// <summary>The hash seed: callers hashing by themselves start from it.</summary>
    public uint Seed { get; }

    /// <summary>Distinct entries.</summary>
    public int Count { get; }

    /// <summary>Bytes taken by the table.</summary>
    public long MemoryBytes => _bytes.Length + (_starts.Length * 4L) + (_hashes.Length * 4L) + (_slots.Length * 4L);

    /// <summary>Whether <paramref name="key"/> is an entry.</summary>
    public bool Contains(ReadOnlySpan<byte> key) => Find(key, Finish(HashBackwards(Seed, key))) >= 0;

    /// <summary>Whether <paramref name="key"/>, whose <see cref="Finish"/>ed hash is <paramref name="hash"/>, is an entry.</summary>
    public bool Contains(ReadOnlySpan<byte> key, uint hash) => Find(key, hash) >= 0;

    /// <summary>The distinct entries.</summary>
    public IEnumerable<byte[]> Entries()
    {
        foreach (int slot in _slots)
        {
            if (slot != 0)
            {
                yield return _bytes[_starts[slot - 1].._starts[slot]];
            }
        }
    }

    /// <summary>Adds one more byte (the one before those already hashed) to a running hash.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Step(uint hash, byte value) => (hash ^ value) * 16777619u;

    /// <summary>The final mixing of a running hash, before it picks a slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Finish(uint hash)
    {
        hash ^= hash >> 16;
        hash *= 0x85EBCA6Bu;
        hash ^= hash >> 13;
        return hash;
    }

    private static uint HashBackwards(uint seed, ReadOnlySpan<byte> key)
    {
        uint hash = seed;
        for (int i = key.Length - 1; i >= 0; i--)
        {
            hash = Step(hash, key[i]);
        }

        return hash;
    }

    private int Find(ReadOnlySpan<byte> key, uint hash)
    {
        int slot = (int)hash & _mask;
        while (true)
        {
            int entry = _slots[slot] - 1;
            if (entry < 0)
            {
                return -1;
            }

            if (_hashes[entry] == hash && key.SequenceEqual(_bytes.AsSpan(_starts[entry], _starts[entry + 1] - _starts[entry])))
            {
                return entry;
            }

            slot = (slot + 1) & _mask;
        }
    }
}
