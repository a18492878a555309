using System.Runtime.InteropServices;

namespace NfLua.Lua.Native;

/// <summary>
/// Gives memory that closed Lua states freed back to the kernel. A rule's state frees its blocks to glibc's malloc,
/// which keeps them in its arenas for reuse: a daemon that loads and unloads rules (each up to its memory limit, 8 MiB
/// by default) would keep the high-water mark of every arena resident. After a state closes, one malloc_trim runs on
/// a pool thread (coalesced: requests while one is pending add nothing), off the queue workers' path.
/// </summary>
internal static partial class FreedMemory
{
    private static int s_pending;

    /// <summary>Asks for a trim soon.</summary>
    public static void Release()
    {
        if (Interlocked.Exchange(ref s_pending, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static _ => Trim(), null);
        }
    }

    private static void Trim()
    {
        Volatile.Write(ref s_pending, 0);
        try
        {
            _ = MallocTrim(0);
        }
        catch (EntryPointNotFoundException)
        {
            // Not glibc: nothing to trim this way.
        }
        catch (DllNotFoundException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
