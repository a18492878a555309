namespace NfLua.Fuzz.Targets;

/// <summary>
/// A <see cref="Random"/> seeded from an input's bytes: the fuzz-chosen parameters a target derives from an input
/// (offsets, widths, byte orders) are then part of the input, so its reproducer file replays exactly.
/// </summary>
internal static class InputRandom
{
    public static Random For(ReadOnlySpan<byte> input)
    {
        // FNV-1a: stable across processes, unlike string.GetHashCode.
        uint hash = 2166136261;
        foreach (byte b in input)
        {
            hash = unchecked((hash ^ b) * 16777619);
        }

        return new Random((int)hash);
    }
}
