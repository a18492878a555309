using System.Runtime.InteropServices;

namespace NfLua.Daemon.Interop;

/// <summary>glibc's malloc tuning.</summary>
internal static partial class Malloc
{
    /// <summary>M_ARENA_MAX in glibc's malloc.h.</summary>
    private const int ArenaMaxOption = -8;

    /// <summary>
    /// Caps glibc's malloc arenas. Rules' Lua states are built on control threads and freed by queue workers;
    /// with an arena per thread (glibc's default: 8 per core) the freed blocks scatter over arenas that are never
    /// given back, and a daemon whose rules are replaced every second grew by ~50% in 10 minutes. Two arenas keep
    /// it flat; nfluad's own hot paths do not allocate, so contention on them costs nothing measurable.
    /// </summary>
    /// <returns>Whether glibc accepted it (false on other C libraries, where it does not apply).</returns>
    public static bool LimitArenas(int arenas)
    {
        try
        {
            return Mallopt(ArenaMaxOption, arenas) == 1;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int option, int value);
}
