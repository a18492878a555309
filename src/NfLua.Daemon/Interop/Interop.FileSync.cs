using System.Runtime.InteropServices;

namespace NfLua.Daemon.Interop;

/// <summary>fsync of a directory, which .NET cannot open: makes a rename in it durable.</summary>
internal static partial class FileSync
{
    private const int OpenReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY (x86-64, arm64 differs: 0x4000)

    /// <summary>Flushes <paramref name="path"/>'s entries (a rename just made in it) to disk.</summary>
    /// <exception cref="IOException">The directory cannot be opened or flushed.</exception>
    public static void Directory(string path)
    {
        int fd = Open(path, RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x4000 : OpenReadOnlyDirectory);
        if (fd < 0)
        {
            throw new IOException($"cannot open {path} to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"cannot flush {path} (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
