namespace NfLua.Scripting;

/// <summary>What lua(1) skips before it compiles a script file, skipped the same way for rules.</summary>
internal static class ScriptText
{
    /// <summary>
    /// The script without a UTF-8 byte order mark and without the text of a first line that starts
    /// with <c>#</c> (a <c>#!</c> line, so scripts can be executable); that line's end is kept, so
    /// errors keep their line numbers.
    /// </summary>
    public static byte[] WithoutHeader(ReadOnlySpan<byte> source)
    {
        if (source.StartsWith("\uFEFF"u8))
        {
            source = source[3..];
        }

        if (!source.IsEmpty && source[0] == (byte)'#')
        {
            int end = source.IndexOf((byte)'\n');
            source = end < 0 ? [] : source[end..];
        }

        return source.ToArray();
    }
}
