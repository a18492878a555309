using System.Runtime.CompilerServices;

namespace NfLua.Packets.Sets;

/// <summary>
/// An immutable hash set of byte strings: every distinct entry in one byte array (its length, then its
/// bytes), and an open-addressing table whose slots each hold an entry's offset beside 32 bits of its
/// hash, no object per entry. A key that is not in the table costs one slot read (the hash bits
/// reject the slot's entries without reading them); a key that is costs the slot and the entry's bytes.
/// The hash runs from an entry's last byte to its first, so a caller can probe every suffix of a name in
/// one right-to-left pass (<see cref="DomainSet"/>).
/// </summary>
internal sealed class ByteStringTable
{
    private readonly byte[] _bytes;   // each distinct entry: its length (7 bits a byte, low first), then its bytes
    private readonly ulong[] _slots;  // (high 32 bits of the entry's hash << 32) | (offset in _bytes + 1); 0 is empty
    private readonly int _mask;

    public ByteStringTable(IReadOnlyList<byte[]> entries, uint seed)
    {
        Seed = (0xCBF29CE484222325ul ^ seed) * 0x100000001B3ul;
        long total = 0;
        foreach (byte[] entry in entries)
        {
            total += LengthBytes(entry.Length) + entry.Length;
        }

        if (total >= Array.MaxLength)
        {
            throw new ArgumentException("the entries take more than 2 GiB", nameof(entries));
        }

        var bytes = new byte[total];
        int size = 16;
        while (size < entries.Count * 2)
        {
            size <<= 1;
        }

        _slots = new ulong[size];
        _mask = size - 1;
        _bytes = bytes;
        int offset = 0;
        foreach (byte[] entry in entries)
        {
            ulong hash = Finish(HashBackwards(Seed, entry));
            if (Find(entry, hash) >= 0)
            {
                continue; // a duplicate: the first copy stays
            }

            int slot = (int)hash & _mask;
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & _mask;
            }

            _slots[slot] = (hash & 0xFFFFFFFF00000000ul) | (uint)(offset + 1);
            for (uint length = (uint)entry.Length; ; length >>= 7)
            {
                if (length < 0x80)
                {
                    bytes[offset++] = (byte)length;
                    break;
                }

                bytes[offset++] = (byte)(length | 0x80);
            }

            entry.CopyTo(bytes, offset);
            offset += entry.Length;
            Count++;
        }

        if (offset < bytes.Length)
        {
            _bytes = bytes[..offset]; // duplicates left room at the end
        }
    }

    /// <summary>The hash seed: callers hashing by themselves start from it.</summary>
    public ulong Seed { get; }

    /// <summary>Distinct entries.</summary>
    public int Count { get; }

    /// <summary>Bytes taken by the table.</summary>
    public long MemoryBytes => _bytes.Length + (_slots.Length * 8L);

    /// <summary>Whether <paramref name="key"/> is an entry.</summary>
    public bool Contains(ReadOnlySpan<byte> key) => Find(key, Finish(HashBackwards(Seed, key))) >= 0;

    /// <summary>Whether <paramref name="key"/>, whose <see cref="Finish"/>ed hash is <paramref name="hash"/>, is an entry.</summary>
    public bool Contains(ReadOnlySpan<byte> key, ulong hash) => Find(key, hash) >= 0;

    /// <summary>The distinct entries.</summary>
    public IEnumerable<byte[]> Entries()
    {
        foreach (ulong slot in _slots)
        {
            if (slot != 0)
            {
                int at = (int)(uint)slot - 1;
                int length = ReadLength(_bytes, ref at);
                yield return _bytes[at..(at + length)];
            }
        }
    }

    /// <summary>Adds one more byte (the one before those already hashed) to a running hash.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Step(ulong hash, byte value) => (hash ^ value) * 0x100000001B3ul;

    /// <summary>The final mixing of a running hash, before it picks a slot (low bits) and tags it (high bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Finish(ulong hash)
    {
        hash ^= hash >> 33;
        hash *= 0xFF51AFD7ED558CCDul;
        hash ^= hash >> 33;
        return hash;
    }

    private static int LengthBytes(int length) => length < 1 << 7 ? 1 : length < 1 << 14 ? 2 : length < 1 << 21 ? 3 : length < 1 << 28 ? 4 : 5;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ReadLength(byte[] bytes, ref int at)
    {
        int length = bytes[at++];
        if (length < 0x80)
        {
            return length;
        }

        return ReadLongLength(bytes, ref at, length);
    }

    private static int ReadLongLength(byte[] bytes, ref int at, int first)
    {
        int length = first & 0x7F;
        for (int shift = 7; ; shift += 7)
        {
            int b = bytes[at++];
            length |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                return length;
            }
        }
    }

    private static ulong HashBackwards(ulong seed, ReadOnlySpan<byte> key)
    {
        ulong hash = seed;
        for (int i = key.Length - 1; i >= 0; i--)
        {
            hash = Step(hash, key[i]);
        }

        return hash;
    }

    private int Find(ReadOnlySpan<byte> key, ulong hash)
    {
        ulong[] slots = _slots;
        ulong tag = hash & 0xFFFFFFFF00000000ul;
        int slot = (int)hash & _mask;
        while (true)
        {
            ulong value = slots[slot];
            if (value == 0)
            {
                return -1;
            }

            if ((value & 0xFFFFFFFF00000000ul) == tag)
            {
                int at = (int)(uint)value - 1;
                int length = ReadLength(_bytes, ref at);
                if (length == key.Length && key.SequenceEqual(_bytes.AsSpan(at, length)))
                {
                    return at;
                }
            }

            slot = (slot + 1) & _mask;
        }
    }
}
