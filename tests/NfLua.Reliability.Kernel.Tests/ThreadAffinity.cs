using System.Runtime.InteropServices;

namespace NfLua.Reliability.Kernel.Tests;

/// <summary>Keeps a test thread on one CPU (sched_setaffinity of the calling thread), and lists the CPUs the tests may use.</summary>
internal static partial class ThreadAffinity
{
    private const int MaskWords = 16; // 1024 CPUs, glibc's cpu_set_t

    /// <summary>The CPUs this process may run on, ascending.</summary>
    public static IReadOnlyList<int> Allowed()
    {
        ulong[] mask = new ulong[MaskWords];
        Assert.True(SchedGetAffinity(0, (nint)(MaskWords * sizeof(ulong)), mask) == 0, $"sched_getaffinity: errno {Marshal.GetLastPInvokeError()}");
        return [.. Enumerable.Range(0, MaskWords * 64).Where(cpu => (mask[cpu / 64] & (1UL << (cpu % 64))) != 0)];
    }

    /// <summary>Keeps the calling thread on <paramref name="cpu"/>.</summary>
    public static void Pin(int cpu)
    {
        ulong[] mask = new ulong[MaskWords];
        mask[cpu / 64] = 1UL << (cpu % 64);
        if (SchedSetAffinity(0, (nint)(MaskWords * sizeof(ulong)), mask) != 0)
        {
            throw new InvalidOperationException($"sched_setaffinity to CPU {cpu}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    private static partial int SchedGetAffinity(int pid, nint size, [Out] ulong[] mask);

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetAffinity(int pid, nint size, ulong[] mask);
}
