using System.Runtime.InteropServices;

namespace NfLua.Daemon.Interop;

/// <summary>getgrnam_r(3): a group by name through NSS, so groups from LDAP, sssd or systemd's userdb are found too.</summary>
internal static partial class Group
{
    private const int RangeError = 34; // ERANGE: the buffer was too small

    /// <summary>The gid of <paramref name="name"/>, or null when no group has that name.</summary>
    /// <exception cref="IOException">The lookup itself failed (the message has the errno).</exception>
    public static uint? IdOf(string name)
    {
        for (int size = 1024; ; size *= 2)
        {
            byte[] buffer = new byte[size];
            var entry = new GroupEntry();
            int error = GetGroupByName(name, ref entry, buffer, (nuint)buffer.Length, out IntPtr result);
            if (error == RangeError && size < (1 << 24))
            {
                continue; // a group with many members: try a larger buffer
            }

            if (error != 0)
            {
                throw new IOException($"looking up group '{name}' failed (errno {error})");
            }

            return result == IntPtr.Zero ? null : entry.Gid;
        }
    }

    /// <summary>struct group (grp.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct GroupEntry
    {
        public IntPtr Name;
        public IntPtr Password;
        public uint Gid;
        public IntPtr Members;
    }

    [LibraryImport("libc", EntryPoint = "getgrnam_r", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int GetGroupByName(string name, ref GroupEntry entry, [Out] byte[] buffer, nuint size, out IntPtr result);
}
