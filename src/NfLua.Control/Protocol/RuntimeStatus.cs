namespace NfLua.Control;

/// <summary>The daemon process's memory and garbage-collector counters, for watching its steady state.</summary>
/// <param name="AllocatedBytes">Managed bytes allocated since the process started, all threads (exact, not sampled).</param>
/// <param name="Gen0Collections">Generation-0 garbage collections since start.</param>
/// <param name="Gen1Collections">Generation-1 garbage collections since start.</param>
/// <param name="Gen2Collections">Generation-2 (full) garbage collections since start.</param>
/// <param name="ResidentBytes">Resident memory (VmRSS) of the process.</param>
/// <param name="ManagedHeapBytes">Bytes of the managed heap in use after the last collection.</param>
public sealed record RuntimeStatus(
    long AllocatedBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    long ResidentBytes,
    long ManagedHeapBytes);
