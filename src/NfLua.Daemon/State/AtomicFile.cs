namespace NfLua.Daemon.State;

/// <summary>
/// Replaces a file atomically: the new bytes go to a temporary file flushed to disk, which is renamed over the old one,
/// and the directory is flushed too, so the file is always either the old text or the new.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> as the whole of <paramref name="path"/> (in <paramref name="directory"/>, created when missing).</summary>
    /// <exception cref="IOException">The file cannot be written (the message says where and why).</exception>
    public static void Write(string directory, string path, ReadOnlySpan<byte> bytes, string what)
    {
        string temporary = path + ".tmp";
        try
        {
            Directory.CreateDirectory(directory);
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            Interop.FileSync.Directory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write the {what} {path}: {ex.Message}", ex);
        }
    }
}
