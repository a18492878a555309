using System.Globalization;

namespace NfLua.Netlink;

/// <summary>Reads the kernel's per-queue counters from /proc/net/netfilter/nfnetlink_queue.</summary>
public static class NfQueueProcReader
{
    /// <summary>Where the kernel publishes the counters of the caller's network namespace.</summary>
    public const string DefaultPath = "/proc/net/netfilter/nfnetlink_queue";

    /// <summary>Every bound queue; empty when the file is missing (nfnetlink_queue not loaded) or unreadable.</summary>
    /// <param name="path">The file to read.</param>
    public static IReadOnlyList<NfQueueKernelCounters> Read(string path = DefaultPath)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        return Parse(text);
    }

    /// <summary>
    /// Why the counters cannot be read, or null when they can: the file is missing (nfnetlink_queue is not loaded, or
    /// no queue was ever bound) or it may not be read (it is 0440 root:root; the packaged unit's
    /// <c>ExecStartPre</c> gives group nflua read access).
    /// </summary>
    public static string? Problem(string path = DefaultPath)
    {
        try
        {
            using FileStream stream = File.OpenRead(path);
            return null;
        }
        catch (FileNotFoundException)
        {
            return $"{path} does not exist (the nfnetlink_queue module is not loaded)";
        }
        catch (DirectoryNotFoundException)
        {
            return $"{path} does not exist (the nfnetlink_queue module is not loaded)";
        }
        catch (UnauthorizedAccessException)
        {
            return $"{path} may not be read by uid {Environment.UserName}: it is root's; run /usr/lib/nflua/nflua-kernel-counters as root (the packaged unit does, before nfluad starts) to let group nflua read it";
        }
        catch (IOException ex)
        {
            return $"{path} cannot be read: {ex.Message}";
        }
    }

    /// <summary>The counters of <paramref name="queueNumber"/>, or null when nothing binds it.</summary>
    public static NfQueueKernelCounters? Find(ushort queueNumber, string path = DefaultPath) =>
        Read(path).FirstOrDefault(c => c.QueueNumber == queueNumber);

    /// <summary>Parses the file's text; lines that do not have nine numeric columns are skipped.</summary>
    public static IReadOnlyList<NfQueueKernelCounters> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<NfQueueKernelCounters>();
        foreach (string line in text.Split('\n'))
        {
            if (TryParseLine(line, out NfQueueKernelCounters? counters))
            {
                result.Add(counters);
            }
        }

        return result;
    }

    /// <summary>Parses one line: <c>queue portid waiting copy_mode copy_range queue_dropped user_dropped id_sequence 1</c>.</summary>
    public static bool TryParseLine(string line, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NfQueueKernelCounters? counters)
    {
        counters = null;
        line ??= string.Empty;
        Span<byte> bytes = line.Length <= 256 ? stackalloc byte[line.Length] : new byte[line.Length];
        Span<uint> values = stackalloc uint[ColumnCount - 1];
        // Anything outside ASCII becomes '?', which no column accepts.
        System.Text.Encoding.ASCII.GetBytes(line, bytes);
        if (!TryParseLine(bytes, values))
        {
            return false;
        }

        counters = new NfQueueKernelCounters(values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7]);
        return true;
    }

    /// <summary>The number of columns in a line.</summary>
    public const int ColumnCount = 9;

    /// <summary>Parses one line of the file's bytes without allocating: its first eight columns into
    /// <paramref name="values"/> (at least eight long), in the order of <see cref="NfQueueKernelCounters"/>'s
    /// members; the ninth must be a (signed) integer. Columns are separated by one or more spaces.</summary>
    public static bool TryParseLine(ReadOnlySpan<byte> line, Span<uint> values)
    {
        int column = 0;
        while (true)
        {
            while (!line.IsEmpty && line[0] == (byte)' ')
            {
                line = line[1..];
            }

            if (line.IsEmpty)
            {
                return column == ColumnCount;
            }

            int end = line.IndexOf((byte)' ');
            ReadOnlySpan<byte> token = end < 0 ? line : line[..end];
            line = end < 0 ? [] : line[end..];
            if (column == ColumnCount)
            {
                return false;
            }

            bool parsed = column < ColumnCount - 1
                ? System.Buffers.Text.Utf8Parser.TryParse(token, out values[column], out int used) && used == token.Length && token[0] != (byte)'+'
                : System.Buffers.Text.Utf8Parser.TryParse(token, out int _, out used) && used == token.Length;
            if (!parsed)
            {
                return false;
            }

            column++;
        }
    }
}
