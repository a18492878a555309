namespace NfLua.Control;

/// <summary>What a reload applied.</summary>
/// <param name="Rules">Rules loaded after the reload.</param>
/// <param name="Queues">Queues configured after the reload.</param>
/// <param name="ConfigPath">The configuration file read; null when the daemon runs on built-in defaults.</param>
/// <param name="BoundQueues">Queues the reload bound (added to the configuration).</param>
/// <param name="UnboundQueues">Queues the reload unbound (no longer configured, and no loaded rule uses them).</param>
/// <param name="NotBound">Configured queues that could not be bound, as "queue N: reason".</param>
/// <param name="PendingRestart">Bound queues whose changed settings wait for a restart, as "queue N: maxlen, cpu".</param>
public sealed record ReloadResult(
    int Rules,
    int Queues,
    string? ConfigPath = null,
    IReadOnlyList<int>? BoundQueues = null,
    IReadOnlyList<int>? UnboundQueues = null,
    IReadOnlyList<string>? NotBound = null,
    IReadOnlyList<string>? PendingRestart = null) : ControlResult;
