namespace NfLua.Control;

/// <summary>The daemon's state.</summary>
/// <param name="Version">The daemon's version.</param>
/// <param name="ProcessId">The daemon's process id.</param>
/// <param name="UptimeSeconds">Seconds since the daemon started.</param>
/// <param name="Queues">Every configured queue.</param>
/// <param name="ConfigPath">The configuration file in use; null when running on built-in defaults.</param>
public sealed record StatusResult(
    string Version,
    int ProcessId,
    long UptimeSeconds,
    IReadOnlyList<QueueStatus> Queues,
    string? ConfigPath = null) : ControlResult;
