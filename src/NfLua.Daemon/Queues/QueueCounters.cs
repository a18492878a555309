using NfLua.Engine;

namespace NfLua.Daemon.Queues;

/// <summary>A queue's counters: written by its worker only, read by anyone.</summary>
internal sealed class QueueCounters
{
    private long _packets;
    private long _batches;
    private long _accepted;
    private long _dropped;
    private long _repeated;
    private long _stopped;
    private long _queued;
    private long _modified;
    private long _receiveErrors;
    private long _workerFaults;
    private long _sendErrors;
    private long _ruleFailures;

    public QueueCountersSnapshot Snapshot() => new(
        Volatile.Read(ref _packets),
        Volatile.Read(ref _batches),
        Volatile.Read(ref _accepted),
        Volatile.Read(ref _dropped),
        Volatile.Read(ref _repeated),
        Volatile.Read(ref _stopped),
        Volatile.Read(ref _queued),
        Volatile.Read(ref _modified),
        Volatile.Read(ref _receiveErrors),
        Volatile.Read(ref _workerFaults),
        Volatile.Read(ref _sendErrors),
        Volatile.Read(ref _ruleFailures));

    private long _rejected;
    private long _rejectLoops;
    private long _allocatedAtStart = -1;
    private long _allocated;

    /// <summary>Managed bytes the worker thread allocated from its first sample to its latest.</summary>
    public long WorkerAllocatedBytes => Volatile.Read(ref _allocated);

    /// <summary>Called by the worker thread (only) after each batch and once when it starts: one thread-local read.</summary>
    public void SampleWorkerAllocation()
    {
        long now = GC.GetAllocatedBytesForCurrentThread();
        if (_allocatedAtStart < 0)
        {
            _allocatedAtStart = now;
        }

        Volatile.Write(ref _allocated, now - _allocatedAtStart);
    }

    /// <summary>Packets rejected (also counted as dropped).</summary>
    public long Rejected => Volatile.Read(ref _rejected);

    /// <summary>Rejected packets that came back to the queue: its chain lacks the REJECT rule for the reject mark.</summary>
    public long RejectLoops => Volatile.Read(ref _rejectLoops);

    public void RejectLoop() => _rejectLoops++;

    public void Batch() => _batches++;

    public void ReceiveError() => _receiveErrors++;

    public void WorkerFault() => _workerFaults++;

    public void SendError() => _sendErrors++;

    public void Verdict(in PacketDecision decision)
    {
        _packets++;
        _ruleFailures += decision.Failures;
        if (decision.Modified)
        {
            _modified++;
        }

        switch (decision.Kind)
        {
            case DecisionKind.Accept: _accepted++; break;
            case DecisionKind.Drop: _dropped++; break;
            case DecisionKind.Repeat: _repeated++; break;
            case DecisionKind.Stop: _stopped++; break;
            case DecisionKind.Queue: _queued++; break;
            case DecisionKind.Reject: _dropped++; _rejected++; break; // a drop with a reply
        }
    }
}

/// <summary>A copy of a queue's counters.</summary>
internal readonly record struct QueueCountersSnapshot(
    long Packets,
    long Batches,
    long Accepted,
    long Dropped,
    long Repeated,
    long Stopped,
    long Queued,
    long Modified,
    long ReceiveErrors,
    long WorkerFaults,
    long SendErrors,
    long RuleFailures);
