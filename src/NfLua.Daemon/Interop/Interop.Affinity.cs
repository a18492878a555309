using System.Runtime.InteropServices;
using static System.FormattableString;

namespace NfLua.Daemon.Interop;

/// <summary>Which CPUs a thread may run on (sched_getaffinity/sched_setaffinity on the calling thread).</summary>
internal static partial class CpuAffinity
{
    /// <summary>The highest CPU number a mask here can name (glibc's cpu_set_t holds 1024).</summary>
    public const int MaxCpu = 1023;

    private const int MaskWords = (MaxCpu + 1) / 64;

    /// <summary>The CPUs the calling thread may run on, ascending; null when the kernel would not say.</summary>
    public static IReadOnlyList<int>? Allowed()
    {
        Span<ulong> mask = stackalloc ulong[MaskWords];
        if (GetAffinity(0, (nuint)(MaskWords * sizeof(ulong)), ref MemoryMarshal.GetReference(mask)) != 0)
        {
            return null;
        }

        var cpus = new List<int>();
        for (int cpu = 0; cpu <= MaxCpu; cpu++)
        {
            if ((mask[cpu / 64] & (1UL << (cpu % 64))) != 0)
            {
                cpus.Add(cpu);
            }
        }

        return cpus;
    }

    /// <summary>Keeps the calling thread on one CPU; returns 0 or the errno.</summary>
    public static int PinCurrentThread(int cpu)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cpu);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cpu, MaxCpu);
        Span<ulong> mask = stackalloc ulong[MaskWords];
        mask.Clear();
        mask[cpu / 64] = 1UL << (cpu % 64);
        return SetAffinity(0, (nuint)(MaskWords * sizeof(ulong)), ref MemoryMarshal.GetReference(mask)) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>"0-3,6": CPU numbers as ranges, the way the kernel writes CPU lists.</summary>
    public static string Describe(IReadOnlyList<int> cpus)
    {
        var parts = new List<string>();
        for (int i = 0; i < cpus.Count;)
        {
            int j = i;
            while (j + 1 < cpus.Count && cpus[j + 1] == cpus[j] + 1)
            {
                j++;
            }

            parts.Add(i == j ? Invariant($"{cpus[i]}") : Invariant($"{cpus[i]}-{cpus[j]}"));
            i = j + 1;
        }

        return string.Join(',', parts);
    }

    [LibraryImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    private static partial int GetAffinity(int pid, nuint size, ref ulong mask);

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SetAffinity(int pid, nuint size, ref ulong mask);
}
