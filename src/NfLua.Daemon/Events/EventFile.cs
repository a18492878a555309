using System.Text;

namespace NfLua.Daemon.Events;

/// <summary>
/// The event log's file: JSON lines appended, rotated by size (FILE to FILE.1, FILE.1 to FILE.2, ... up to FILE.keep,
/// the oldest deleted), and reopened on request (SIGHUP, after logrotate renamed it). One writer thread.
/// </summary>
internal sealed class EventFile(string path, long maxSize, int keep) : IDisposable
{
    private FileStream? _stream;

    public string Path { get; } = path;

    public long MaxSize { get; } = maxSize;

    public int Keep { get; } = keep;

    /// <summary>Appends one line (a line end is added); opens the file first if needed, rotates it when it would grow past <see cref="MaxSize"/>.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be opened.</exception>
    public void Append(string line)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(line + "\n");
        FileStream stream = _stream ??= Open();
        if (stream.Length > 0 && stream.Length + bytes.Length > MaxSize)
        {
            Rotate();
            stream = _stream = Open();
        }

        stream.Write(bytes);
    }

    /// <summary>Writes what is buffered to the file.</summary>
    public void Flush() => _stream?.Flush();

    /// <summary>Closes the file: the next line opens <see cref="Path"/> again (a new file if it was renamed).</summary>
    public void Reopen()
    {
        _stream?.Dispose();
        _stream = null;
    }

    private FileStream Open()
    {
        var stream = new FileStream(Path, new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
            BufferSize = 64 * 1024,
        });
        return stream;
    }

    private void Rotate()
    {
        _stream?.Dispose();
        _stream = null;
        if (Keep == 0)
        {
            File.Delete(Path);
            return;
        }

        File.Delete($"{Path}.{Keep}");
        for (int i = Keep - 1; i >= 1; i--)
        {
            if (File.Exists($"{Path}.{i}"))
            {
                File.Move($"{Path}.{i}", $"{Path}.{i + 1}");
            }
        }

        File.Move(Path, Path + ".1");
    }

    public void Dispose() => Reopen();
}
