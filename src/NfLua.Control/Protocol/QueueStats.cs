namespace NfLua.Control;

/// <summary>A queue's counters since the daemon started.</summary>
/// <param name="Queue">The queue number.</param>
/// <param name="Packets">Packets received.</param>
/// <param name="Accepted">Packets given an accepting verdict.</param>
/// <param name="Dropped">Packets given a dropping verdict.</param>
/// <param name="FailureVerdicts">Rule calls that failed on the queue's packets (each gave its rule's on-error verdict) and worker
/// faults; counted by the queue, so they stay when the rule is replaced or unloaded.</param>
/// <param name="Batches">Receive batches processed.</param>
/// <param name="Kernel">The kernel's counters for the queue, when readable.</param>
/// <param name="Undelivered">Packets the kernel numbered but could not deliver to the daemon (its receive buffer was full):
/// dropped, or accepted on a fail-open queue (the kernel counts those nowhere).</param>
/// <param name="WorkerAllocatedBytes">Managed bytes the queue's worker thread has allocated since it started, as the worker
/// itself read them (GC.GetAllocatedBytesForCurrentThread) after its latest batch: the hot path's allocation, free of
/// what other threads (the control socket, the event log) allocate.</param>
public sealed record QueueStats(
    int Queue,
    long Packets,
    long Accepted,
    long Dropped,
    long FailureVerdicts,
    long Batches,
    KernelQueueCounters? Kernel = null,
    long Undelivered = 0,
    long WorkerAllocatedBytes = 0);
