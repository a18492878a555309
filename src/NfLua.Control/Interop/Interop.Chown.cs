using System.Runtime.InteropServices;

namespace NfLua.Control;

internal static partial class Interop
{
    /// <summary>chown(2); pass <see cref="uint.MaxValue"/> ((uid_t)-1) to leave the owner or group unchanged.</summary>
    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Chown(string path, uint owner, uint group);

    /// <summary>Changes the group of <paramref name="path"/>.</summary>
    /// <exception cref="IOException">chown failed; the message carries errno.</exception>
    internal static void ChangeGroup(string path, uint group)
    {
        if (Chown(path, uint.MaxValue, group) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot give {path} to group {group}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
    }
}
