namespace NfLua.Control;

/// <summary>A queue's effective settings, as the kernel has them.</summary>
/// <param name="Queue">The queue number.</param>
/// <param name="Bound">True when the daemon is bound to it and receiving packets.</param>
/// <param name="MaxLength">The kernel's queue length limit, in packets.</param>
/// <param name="CopyRange">How many bytes of each packet are copied to the daemon.</param>
/// <param name="FailOpen">True when the kernel accepts packets it cannot queue; false when it drops them.</param>
/// <param name="Gso">True when GSO packets are queued unsegmented.</param>
/// <param name="UidGid">True when the kernel reports the owning socket's uid and gid.</param>
/// <param name="ConntrackSupported">True when conntrack information is available with each packet.</param>
/// <param name="Kernel">The kernel's counters, when the daemon could read them.</param>
/// <param name="Reason">Why the queue is not bound (null when it is).</param>
/// <param name="Cpu">The CPU the queue's worker thread is kept on (null: not pinned).</param>
/// <param name="PendingRestart">Settings the configuration changed since the queue was bound ("maxlen, cpu"): they apply at the next start.</param>
/// <param name="StuckForMs">How long the queue's worker has not come back from one packet, past its bound (null: not stuck).</param>
/// <param name="StuckRule">The rule a stuck worker is in (null: outside the rules, or not stuck).</param>
public sealed record QueueStatus(
    int Queue,
    bool Bound,
    long MaxLength,
    long CopyRange,
    bool FailOpen,
    bool Gso,
    bool UidGid,
    bool ConntrackSupported,
    KernelQueueCounters? Kernel = null,
    string? Reason = null,
    int? Cpu = null,
    string? PendingRestart = null,
    long? StuckForMs = null,
    string? StuckRule = null);
