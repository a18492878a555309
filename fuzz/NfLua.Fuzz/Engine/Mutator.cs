using System.Buffers.Binary;

namespace NfLua.Fuzz.Engine;

/// <summary>
/// Byte-level mutations in the style of libFuzzer's: bit flips, byte changes, inserts and deletes, interesting
/// values, length fields nudged (16 and 32 bits, both byte orders), dictionary tokens, and splicing with another
/// corpus input. Deterministic for a given <see cref="Random"/>.
/// </summary>
internal sealed class Mutator(IReadOnlyList<byte[]> dictionary, int maxLength)
{
    private static readonly byte[] s_interestingBytes = [0x00, 0x01, 0x02, 0x04, 0x07, 0x08, 0x10, 0x14, 0x20, 0x28, 0x3F, 0x40, 0x45, 0x60, 0x7F, 0x80, 0xFE, 0xFF];

    /// <summary>Applies one to four mutations to a copy of <paramref name="input"/>.</summary>
    public byte[] Mutate(Random random, byte[] input, byte[] spliceWith)
    {
        var data = new List<byte>(input);
        int count = random.Next(1, 5);
        for (int i = 0; i < count; i++)
        {
            MutateOnce(random, data, spliceWith);
        }

        if (data.Count > maxLength)
        {
            data.RemoveRange(maxLength, data.Count - maxLength);
        }

        return [.. data];
    }

    private void MutateOnce(Random random, List<byte> data, byte[] spliceWith)
    {
        int kind = random.Next(data.Count == 0 ? 3 : 12);
        switch (kind)
        {
            case 0:
                data.Insert(random.Next(data.Count + 1), (byte)random.Next(256));
                break;
            case 1:
                InsertToken(random, data);
                break;
            case 2:
                Splice(random, data, spliceWith);
                break;
            case 3:
                data[random.Next(data.Count)] ^= (byte)(1 << random.Next(8));
                break;
            case 4:
                data[random.Next(data.Count)] = (byte)random.Next(256);
                break;
            case 5:
                data[random.Next(data.Count)] = s_interestingBytes[random.Next(s_interestingBytes.Length)];
                break;
            case 6:
                int start = random.Next(data.Count);
                data.RemoveRange(start, Math.Min(data.Count - start, 1 + random.Next(Math.Min(16, data.Count))));
                break;
            case 7:
                // Cut the tail: truncated inputs are what length checks are for.
                int cut = random.Next(data.Count);
                data.RemoveRange(cut, data.Count - cut);
                break;
            case 8:
            case 9:
                TweakLengthField(random, data);
                break;
            case 10:
                OverwriteWithToken(random, data);
                break;
            default:
                int from = random.Next(data.Count);
                int length = Math.Min(data.Count - from, 1 + random.Next(32));
                data.InsertRange(random.Next(data.Count + 1), data.GetRange(from, length));
                break;
        }
    }

    private void InsertToken(Random random, List<byte> data)
    {
        if (dictionary.Count > 0)
        {
            data.InsertRange(random.Next(data.Count + 1), dictionary[random.Next(dictionary.Count)]);
        }
    }

    private void OverwriteWithToken(Random random, List<byte> data)
    {
        if (dictionary.Count == 0)
        {
            return;
        }

        byte[] token = dictionary[random.Next(dictionary.Count)];
        int at = random.Next(data.Count);
        for (int i = 0; i < token.Length; i++)
        {
            if (at + i < data.Count)
            {
                data[at + i] = token[i];
            }
            else
            {
                data.Add(token[i]);
            }
        }
    }

    private static void Splice(Random random, List<byte> data, byte[] other)
    {
        if (other.Length == 0)
        {
            return;
        }

        int from = random.Next(other.Length);
        int length = 1 + random.Next(other.Length - from);
        if (random.Next(2) == 0 || data.Count == 0)
        {
            data.InsertRange(random.Next(data.Count + 1), other.AsSpan(from, length).ToArray());
        }
        else
        {
            // Keep our head, take their tail: the classic crossover.
            int cut = random.Next(data.Count);
            data.RemoveRange(cut, data.Count - cut);
            data.AddRange(other.AsSpan(from, length).ToArray());
        }
    }

    /// <summary>Reads a 16- or 32-bit number somewhere, in either byte order, and moves it near a boundary.</summary>
    private static void TweakLengthField(Random random, List<byte> data)
    {
        int width = random.Next(2) == 0 ? 2 : 4;
        if (data.Count < width)
        {
            return;
        }

        // Fields are usually aligned: prefer aligned offsets.
        int at = random.Next(data.Count - width + 1);
        if (random.Next(4) != 0)
        {
            at &= ~(width - 1);
        }

        bool big = random.Next(2) == 0;
        Span<byte> field = stackalloc byte[4];
        for (int i = 0; i < width; i++)
        {
            field[i] = data[at + i];
        }

        long value = width == 2
            ? (big ? BinaryPrimitives.ReadUInt16BigEndian(field) : BinaryPrimitives.ReadUInt16LittleEndian(field))
            : (big ? BinaryPrimitives.ReadUInt32BigEndian(field) : BinaryPrimitives.ReadUInt32LittleEndian(field));
        value = random.Next(6) switch
        {
            0 => value + random.Next(1, 9),
            1 => value - random.Next(1, 9),
            2 => data.Count - at + random.Next(-8, 9),
            3 => data.Count + random.Next(-8, 9),
            4 => 0,
            _ => width == 2 ? 0xFFFF : 0xFFFFFFFF,
        };
        if (width == 2)
        {
            if (big)
            {
                BinaryPrimitives.WriteUInt16BigEndian(field, (ushort)value);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(field, (ushort)value);
            }
        }
        else if (big)
        {
            BinaryPrimitives.WriteUInt32BigEndian(field, (uint)value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(field, (uint)value);
        }

        for (int i = 0; i < width; i++)
        {
            data[at + i] = field[i];
        }
    }
}
