namespace NfLua.Control;

/// <summary>The daemon's state.</summary>
/// <param name="Version">The daemon's version.</param>
/// <param name="ProcessId">The daemon's process id.</param>
/// <param name="UptimeSeconds">Seconds since the daemon started.</param>
/// <param name="Queues">Every configured queue.</param>
/// <param name="ConfigPath">The configuration file in use; null when running on built-in defaults.</param>
/// <param name="Runtime">The process's memory and GC counters; null from daemons that do not report them.</param>
/// <param name="KernelCountersProblem">Why the kernel's queue counters cannot be read (null when they can).</param>
public sealed record StatusResult(
    string Version,
    int ProcessId,
    long UptimeSeconds,
    IReadOnlyList<QueueStatus> Queues,
    string? ConfigPath = null,
    RuntimeStatus? Runtime = null,
    string? KernelCountersProblem = null) : ControlResult;
