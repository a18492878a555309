using System.Diagnostics;
using Microsoft.Extensions.Logging;
using NfLua.Daemon.Configuration;
using NfLua.Engine;
using NfLua.Scripting;

namespace NfLua.Daemon.Queues;

/// <summary>
/// The thread that serves one queue: receives a batch, judges every packet with the queue's current rule set (one
/// snapshot per batch), sends the batch's verdicts, repeats. Every packet it receives gets exactly one verdict, whatever
/// happens: a fault in a batch gives the rest of the batch the queue's failure verdict, and a verdict the kernel did not
/// take is sent again. On stop it finishes the batch, then judges what the kernel still holds, for a bounded time (the
/// queue's length, or a second), before the channel may be closed. It publishes its progress for the watch
/// (<see cref="Progress"/>).
/// </summary>
internal sealed partial class QueueWorker : IDisposable
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_drainQuiet = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_drainTime = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_unsentRetry = TimeSpan.FromMilliseconds(10);

    private readonly IQueueChannel _channel;
    private readonly QueueRules _rules;
    private readonly PacketDecision _failureDecision;
    private readonly uint _rejectMark;
    private bool _rejectLoopSaid;
    private bool _noRejectMarkSaid;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;
    private volatile bool _pinned;
    private bool _sendFailing;
    private bool _disposed;

    public QueueWorker(IQueueChannel channel, QueueRules rules, QueueConfig settings, ILogger logger)
    {
        _channel = channel;
        _rules = rules;
        _logger = logger;
        Settings = settings;
        _failureDecision = new PacketDecision(settings.FailOpen ? DecisionKind.Accept : DecisionKind.Drop, 0, null, false, -1);
        _rejectMark = settings.RejectMark;
        _thread = new Thread(Run) { Name = $"nflua-queue-{channel.Queue}", IsBackground = true };
    }

    public ushort Queue => _channel.Queue;

    /// <summary>The settings the queue was bound with (they stay until the queue is bound again).</summary>
    public QueueConfig Settings { get; }

    /// <summary>The CPU the worker thread is to be kept on (null: anywhere).</summary>
    public int? Cpu => Settings.Cpu;

    /// <summary>Whether the worker thread is kept on <see cref="Cpu"/> (false until it started, or when the kernel refused).</summary>
    public bool Pinned => _pinned;

    /// <summary>The queue's channel (for its settings and counters; used by the worker thread only otherwise).</summary>
    public IQueueChannel Channel => _channel;

    /// <summary>Whether the queue accepts packets when it overflows (and gets ACCEPT on internal faults).</summary>
    public bool FailOpen => _failureDecision.Kind == DecisionKind.Accept;

    public QueueCounters Counters { get; } = new();

    /// <summary>Where the worker is: what the watch reads to see it alive, or stuck in a rule.</summary>
    public RuleProgress Progress { get; } = new();

    /// <summary>Whether the worker was asked to stop.</summary>
    public bool Stopping => _stopping;

    /// <summary>Completes when the worker's loop has ended (its last packet answered).</summary>
    public Task Finished => _finished.Task;

    public void Start() => _thread.Start();

    /// <summary>Asks the worker to finish: it answers what it holds and drains the kernel's queue, then ends.</summary>
    public void RequestStop() => _stopping = true;

    /// <summary>Asks the worker to finish and waits up to <paramref name="timeout"/>; true when it ended.</summary>
    public bool Stop(TimeSpan timeout)
    {
        RequestStop();
        if (!_thread.IsAlive && _thread.ThreadState == System.Threading.ThreadState.Unstarted)
        {
            return true;
        }

        if (!Finished.Wait(timeout))
        {
            WorkerDidNotStop(_logger, Queue, timeout);
            return false;
        }

        return true;
    }

    /// <summary>
    /// Closes the channel (unbinding the queue) once the worker has ended. A worker that is still running (stuck in a
    /// rule) keeps its channel: closing a socket under a thread that may still use it is never safe, and the process's
    /// end closes it anyway.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        if (!Stop(TimeSpan.FromSeconds(5)))
        {
            ChannelLeftOpen(_logger, Queue);
            return;
        }

        _disposed = true;
        _channel.Dispose();
    }

    private void Run()
    {
        try
        {
            Pin();
            Counters.SampleWorkerAllocation();
            while (!_stopping)
            {
                Progress.Beat();
                ServeBatch(s_pollInterval);
            }

            Drain();
            SendWhatIsLeft();
        }
        finally
        {
            Progress.Beat();
            _finished.TrySetResult();
        }
    }

    private void Pin()
    {
        if (Cpu is not { } cpu)
        {
            return;
        }

        // A worker of its own CPU: a rule burning its limits on another queue's CPU cannot slow this one.
        int errno = Interop.CpuAffinity.PinCurrentThread(cpu);
        _pinned = errno == 0;
        if (errno != 0)
        {
            NotPinned(_logger, Queue, cpu, errno);
        }
    }

    /// <summary>
    /// What the kernel already queued is judged by the rules, not dropped by the unbind; but traffic that never pauses
    /// would keep a drain going for ever, so it answers at most a queue's length of packets, for at most a second.
    /// </summary>
    private void Drain()
    {
        var clock = Stopwatch.StartNew();
        long drained = 0;
        int batch;
        do
        {
            Progress.Beat();
            batch = ServeBatch(s_drainQuiet);
            drained += batch;
        }
        while (batch > 0 && drained < Settings.MaxLength && clock.Elapsed < s_drainTime);

        if (batch > 0)
        {
            DrainBounded(_logger, Queue, drained, clock.Elapsed.TotalMilliseconds);
        }
    }

    /// <summary>Verdicts a failed send left behind get a few more tries before the channel closes (and the kernel drops their packets).</summary>
    private void SendWhatIsLeft()
    {
        for (int attempt = 0; attempt < 20 && _channel.UnsentVerdicts > 0; attempt++)
        {
            Thread.Sleep(s_unsentRetry);
            _ = _channel.Flush();
        }

        if (_channel.UnsentVerdicts > 0)
        {
            VerdictsLeftUnsent(_logger, Queue, _channel.UnsentVerdicts);
        }
    }

    /// <summary>Receives and answers one batch; returns its size.</summary>
    private int ServeBatch(TimeSpan timeout)
    {
        int count;
        try
        {
            count = _channel.Receive(timeout);
        }
        catch (Exception ex)
        {
            Counters.ReceiveError();
            ReceiveFailed(_logger, Queue, ex);
            Thread.Sleep(10);
            return 0;
        }

        if (count == 0)
        {
            // An idle queue still disposes the rules replaced or unloaded since its last batch: otherwise
            // every change on a quiet queue would keep a whole Lua state until the next packet came.
            _rules.Acquire();
            if (_channel.UnsentVerdicts > 0)
            {
                Flush();
            }

            return 0;
        }

        Counters.Batch();
        int answered = 0;
        try
        {
            RuleSet rules = _rules.Acquire();
            Progress.Use(rules);
            long receivedMs = Environment.TickCount64; // nflua.now() for the whole batch: one clock read
            for (; answered < count; answered++)
            {
                _channel.Meta(answered, out PacketMeta meta);
                PacketDecision decision;
                if (_rejectMark != 0 && meta.Mark == _rejectMark)
                {
                    // Rejected before and back again: the chain has no REJECT rule for the mark before the queue.
                    // Dropped: never a loop, never an accept.
                    decision = RejectLoop();
                }
                else
                {
                    decision = rules.Evaluate(_channel.Payload(answered), receivedMs, meta, Progress);
                }

                _channel.SetVerdict(answered, decision.Kind == DecisionKind.Reject ? Rejected(decision) : decision);
                Counters.Verdict(decision);
            }
        }
        catch (Exception ex)
        {
            // Rules never throw for what scripts do; this is a bug of ours. The packet it hit and
            // the rest of the batch still get a verdict.
            Counters.WorkerFault();
            BatchFailed(_logger, Queue, ex);
            for (; answered < count; answered++)
            {
                _channel.SetVerdict(answered, _failureDecision);
                Counters.Verdict(_failureDecision);
            }
        }

        Flush();
        Counters.SampleWorkerAllocation();
        return count;
    }

    /// <summary>
    /// What the kernel is told for a rejected packet: repeat with the queue's reject mark, so the REJECT rule before
    /// the NFQUEUE rule answers the sender (the kernel's REJECT never answers a reset, an ICMP error, a broadcast or a
    /// fragment, and rate-limits ICMP); a drop where the queue has no reject mark.
    /// </summary>
    private PacketDecision Rejected(in PacketDecision decision)
    {
        if (_rejectMark != 0)
        {
            return new PacketDecision(DecisionKind.Repeat, 0, _rejectMark, false, decision.DecidedBy, decision.Failures);
        }

        if (!_noRejectMarkSaid)
        {
            _noRejectMarkSaid = true;
            NoRejectMark(_logger, Queue);
        }

        return decision with { Kind = DecisionKind.Drop };
    }

    private PacketDecision RejectLoop()
    {
        Counters.RejectLoop();
        if (!_rejectLoopSaid)
        {
            _rejectLoopSaid = true;
            RejectLooped(_logger, Queue, _rejectMark);
        }

        return new PacketDecision(DecisionKind.Drop, 0, null, false, -1);
    }

    private void Flush()
    {
        bool sent;
        try
        {
            sent = _channel.Flush();
        }
        catch (Exception ex)
        {
            Counters.SendError();
            SendFailed(_logger, Queue, _channel.UnsentVerdicts, ex);
            return;
        }

        if (!sent)
        {
            Counters.SendError();
            if (!_sendFailing)
            {
                // Once per spell of failures: the counter says how many batches it lasted.
                SendFailed(_logger, Queue, _channel.UnsentVerdicts, null);
            }
        }

        _sendFailing = !sent;
    }

    [LoggerMessage(EventId = LogEventIds.ReceiveFailed, Level = LogLevel.Error, Message = "queue {Queue}: receiving failed")]
    private static partial void ReceiveFailed(ILogger logger, ushort queue, Exception exception);

    [LoggerMessage(EventId = LogEventIds.BatchFailed, Level = LogLevel.Critical, Message = "queue {Queue}: a batch failed; its remaining packets got the queue's failure verdict")]
    private static partial void BatchFailed(ILogger logger, ushort queue, Exception exception);

    [LoggerMessage(EventId = LogEventIds.SendFailed, Level = LogLevel.Error, Message = "queue {Queue}: sending verdicts failed; {Unsent} verdicts are kept and sent again with the next batch")]
    private static partial void SendFailed(ILogger logger, ushort queue, int unsent, Exception? exception);

    [LoggerMessage(EventId = LogEventIds.NoRejectMark, Level = LogLevel.Warning, Message = "queue {Queue}: a rule rejected a packet but the queue has no reject_mark: rejected packets are dropped without a reply (packaging/iptables/reject.rules)")]
    private static partial void NoRejectMark(ILogger logger, ushort queue);

    [LoggerMessage(EventId = LogEventIds.RejectLooped, Level = LogLevel.Warning, Message = "queue {Queue}: a rejected packet came back to the queue with the reject mark 0x{Mark:x}: the chain has no REJECT rule for it before the NFQUEUE rule (packaging/iptables/reject.rules); such packets are dropped without a reply")]
    private static partial void RejectLooped(ILogger logger, ushort queue, uint mark);

    [LoggerMessage(EventId = LogEventIds.NotPinned, Level = LogLevel.Warning, Message = "queue {Queue}: the worker could not be kept on CPU {Cpu} (errno {Errno}); it runs wherever the scheduler puts it")]
    private static partial void NotPinned(ILogger logger, ushort queue, int cpu, int errno);

    [LoggerMessage(EventId = LogEventIds.WorkerDidNotStop, Level = LogLevel.Error, Message = "queue {Queue}: the worker did not stop within {Timeout}")]
    private static partial void WorkerDidNotStop(ILogger logger, ushort queue, TimeSpan timeout);

    [LoggerMessage(EventId = LogEventIds.WorkerNotStopped, Level = LogLevel.Error, Message = "queue {Queue}: its worker is still running, so its socket stays open until nfluad exits")]
    private static partial void ChannelLeftOpen(ILogger logger, ushort queue);

    [LoggerMessage(EventId = LogEventIds.DrainEnded, Level = LogLevel.Warning, Message = "queue {Queue}: traffic kept coming while stopping; {Drained} packets judged in {Milliseconds:F0} ms, what arrives from now on meets the kernel's policy for an unbound queue")]
    private static partial void DrainBounded(ILogger logger, ushort queue, long drained, double milliseconds);

    [LoggerMessage(EventId = LogEventIds.VerdictsLeftUnsent, Level = LogLevel.Error, Message = "queue {Queue}: {Unsent} verdicts could not be sent before the queue was closed; the kernel drops their packets")]
    private static partial void VerdictsLeftUnsent(ILogger logger, ushort queue, int unsent);
}
