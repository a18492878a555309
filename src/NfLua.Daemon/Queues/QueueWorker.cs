using Microsoft.Extensions.Logging;
using NfLua.Engine;

namespace NfLua.Daemon.Queues;

/// <summary>
/// The thread that serves one queue: receives a batch, judges every packet with the queue's
/// current rule set (one snapshot per batch), sends the batch's verdicts, repeats. Every packet
/// it receives gets exactly one verdict, whatever happens: a fault in a batch gives the rest of
/// the batch the queue's failure verdict. On stop it finishes the batch, then keeps judging what
/// the kernel still holds until the queue is quiet, before the channel is closed.
/// </summary>
internal sealed partial class QueueWorker : IDisposable
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_drainQuiet = TimeSpan.FromMilliseconds(50);

    private readonly IQueueChannel _channel;
    private readonly QueueRules _rules;
    private readonly PacketDecision _failureDecision;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private volatile bool _pinned;

    public QueueWorker(IQueueChannel channel, QueueRules rules, bool failOpen, ILogger logger, int? cpu = null)
    {
        _channel = channel;
        Cpu = cpu;
        _rules = rules;
        _logger = logger;
        _failureDecision = new PacketDecision(failOpen ? DecisionKind.Accept : DecisionKind.Drop, 0, null, false, -1);
        _thread = new Thread(Run) { Name = $"nflua-queue-{channel.Queue}", IsBackground = true };
    }

    public ushort Queue => _channel.Queue;

    /// <summary>The CPU the worker thread is to be kept on (null: anywhere).</summary>
    public int? Cpu { get; }

    /// <summary>Whether the worker thread is kept on <see cref="Cpu"/> (false until it started, or when the kernel refused).</summary>
    public bool Pinned => _pinned;

    /// <summary>The queue's channel (for its settings and counters; used by the worker thread only otherwise).</summary>
    public IQueueChannel Channel => _channel;

    /// <summary>Whether the queue accepts packets when it overflows (and gets ACCEPT on internal faults).</summary>
    public bool FailOpen => _failureDecision.Kind == DecisionKind.Accept;

    public QueueCounters Counters { get; } = new();

    /// <summary>Whether the worker's loop has ended.</summary>
    public bool Stopped => !_thread.IsAlive;

    public void Start() => _thread.Start();

    /// <summary>Asks the worker to finish and waits for it (draining included).</summary>
    public void Stop(TimeSpan timeout)
    {
        _stopping = true;
        if (_thread.IsAlive && !_thread.Join(timeout))
        {
            WorkerDidNotStop(_logger, Queue, timeout);
        }
    }

    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(10));
        _channel.Dispose();
    }

    private void Run()
    {
        if (Cpu is { } cpu)
        {
            // A worker of its own CPU: a rule burning its limits on another queue's CPU cannot slow this one.
            int errno = Interop.CpuAffinity.PinCurrentThread(cpu);
            _pinned = errno == 0;
            if (errno != 0)
            {
                NotPinned(_logger, Queue, cpu, errno);
            }
        }

        while (!_stopping)
        {
            ServeBatch(s_pollInterval);
        }

        // Drain: what the kernel already queued is judged by the rules, not dropped by the unbind.
        while (ServeBatch(s_drainQuiet) > 0)
        {
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
            return 0;
        }

        Counters.Batch();
        int answered = 0;
        try
        {
            RuleSet rules = _rules.Acquire();
            long receivedMs = Environment.TickCount64; // nflua.now() for the whole batch: one clock read
            for (; answered < count; answered++)
            {
                PacketDecision decision = rules.Evaluate(_channel.Payload(answered), receivedMs);
                _channel.SetVerdict(answered, decision);
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

        try
        {
            _channel.Flush();
        }
        catch (Exception ex)
        {
            Counters.SendError();
            SendFailed(_logger, Queue, ex);
        }

        return count;
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "queue {Queue}: receiving failed")]
    private static partial void ReceiveFailed(ILogger logger, ushort queue, Exception exception);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Critical, Message = "queue {Queue}: a batch failed; its remaining packets got the queue's failure verdict")]
    private static partial void BatchFailed(ILogger logger, ushort queue, Exception exception);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Error, Message = "queue {Queue}: sending verdicts failed")]
    private static partial void SendFailed(ILogger logger, ushort queue, Exception exception);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "queue {Queue}: the worker could not be kept on CPU {Cpu} (errno {Errno}); it runs wherever the scheduler puts it")]
    private static partial void NotPinned(ILogger logger, ushort queue, int cpu, int errno);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "queue {Queue}: the worker did not stop within {Timeout}")]
    private static partial void WorkerDidNotStop(ILogger logger, ushort queue, TimeSpan timeout);
}
