using System.Runtime.InteropServices;

namespace NfLua.Daemon.Interop;

/// <summary>glibc's malloc tuning.</summary>
internal static partial class Malloc
{
    /// <summary>M_ARENA_MAX in glibc's malloc.h.</summary>
    private const int ArenaMaxOption = -8;

    /// <summary>M_TRIM_THRESHOLD in glibc's malloc.h.</summary>
    private const int TrimThresholdOption = -1;

    /// <summary>M_MMAP_THRESHOLD in glibc's malloc.h.</summary>
    private const int MmapThresholdOption = -3;

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

    /// <summary>
    /// Fixes malloc's mmap threshold (and so its trim threshold) at <paramref name="bytes"/>. glibc raises the
    /// threshold each time a mapped block is freed, up to 32 MiB: after the first hostile rule's 8 MiB table was
    /// freed, every later large block of a Lua state came from the arenas instead of its own mapping, and freed
    /// there it stayed resident. Fixed, a large block is always mapped and goes back to the kernel when freed.
    /// </summary>
    /// <returns>Whether glibc accepted both.</returns>
    public static bool FixMmapThreshold(int bytes)
    {
        try
        {
            return Mallopt(MmapThresholdOption, bytes) == 1 && Mallopt(TrimThresholdOption, bytes) == 1;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int option, int value);
}
