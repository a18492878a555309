using Microsoft.Extensions.Logging;
using NfLua.Daemon.Configuration;
using NfLua.Daemon.Queues;
using NfLua.Engine;

namespace NfLua.Daemon.Hosting;

/// <summary>
/// The bound queues and their workers, and the configured queues that could not be bound (with the reason, for
/// <c>status</c>). Binding and unbinding are serialised by the callers (start, control changes, reload).
/// </summary>
internal sealed partial class QueueWorkers(IQueueChannelFactory channels, RuleRegistry rules, ILogger<QueueWorkers> logger)
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<ushort, QueueWorker> _workers = [];
    private readonly SortedDictionary<ushort, string> _unbound = [];
    private readonly Dictionary<ushort, string> _pendingRestart = [];

    /// <summary>The running workers (one per bound queue), by queue number.</summary>
    public IReadOnlyList<QueueWorker> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _workers.Values];
            }
        }
    }

    /// <summary>True when a worker runs <paramref name="queue"/>; allocates nothing (unlike <see cref="All"/>).</summary>
    public bool Runs(uint queue)
    {
        lock (_lock)
        {
            return queue <= ushort.MaxValue && _workers.ContainsKey((ushort)queue);
        }
    }

    /// <summary>Configured queues that could not be bound, with the reason.</summary>
    public IReadOnlyDictionary<ushort, string> Unbound
    {
        get
        {
            lock (_lock)
            {
                return new SortedDictionary<ushort, string>(_unbound);
            }
        }
    }

    public bool IsBound(ushort queue)
    {
        lock (_lock)
        {
            return _workers.ContainsKey(queue);
        }
    }

    /// <summary>The settings of a bound queue that the configuration changed since it was bound ("maxlen, cpu"), or null.</summary>
    public string? PendingRestart(ushort queue)
    {
        lock (_lock)
        {
            return _pendingRestart.GetValueOrDefault(queue);
        }
    }

    /// <summary>
    /// Binds a queue and starts its worker; returns why it could not. Only a queue the configuration names keeps its
    /// reason for <c>status</c>: a queue a control request asked for is refused to that request alone.
    /// </summary>
    public string? Bind(QueueConfig settings, bool configured)
    {
        lock (_lock)
        {
            if (_workers.ContainsKey(settings.Number))
            {
                return null;
            }

            try
            {
                IQueueChannel channel = channels.Open(settings);
                var worker = new QueueWorker(channel, rules.For(settings.Number), settings, logger);
                _workers[settings.Number] = worker;
                _unbound.Remove(settings.Number);
                worker.Start();
                QueueBound(logger, settings.Number, settings.FailOpen ? "fail-open" : "fail-closed");
                return null;
            }
            catch (QueueBindException ex)
            {
                // One queue held elsewhere must not take the others down.
                if (configured)
                {
                    _unbound[settings.Number] = ex.Message;
                }

                QueueNotBound(logger, settings.Number, ex.Message);
                return ex.Message;
            }
        }
    }

    /// <summary>Stops a queue's worker (it answers what it holds) and unbinds the queue; <paramref name="why"/> goes to the log.</summary>
    public void Unbind(ushort queue, string why)
    {
        QueueWorker? worker;
        lock (_lock)
        {
            _unbound.Remove(queue);
            _pendingRestart.Remove(queue);
            if (!_workers.Remove(queue, out worker))
            {
                return;
            }
        }

        worker.Dispose();
        QueueUnbound(logger, queue, why);
    }

    /// <summary>Forgets why a queue the configuration no longer names could not be bound.</summary>
    public void Forget(ushort queue)
    {
        lock (_lock)
        {
            _unbound.Remove(queue);
        }
    }

    /// <summary>Records (or clears, with null) the configured settings a bound queue will take at the next start.</summary>
    public void SetPendingRestart(ushort queue, string? settings)
    {
        lock (_lock)
        {
            if (settings is null)
            {
                _pendingRestart.Remove(queue);
            }
            else
            {
                _pendingRestart[queue] = settings;
            }
        }
    }

    /// <summary>
    /// Stops every worker at once (each answers what it holds and drains its queue for a bounded time), waits for all of
    /// them within <paramref name="cancellationToken"/>, and unbinds the queues whose workers ended. Returns the workers
    /// that did not: their sockets stay open (closing them under a running thread is never safe).
    /// </summary>
    public async Task<IReadOnlyList<QueueWorker>> StopAllAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<QueueWorker> workers = All;
        foreach (QueueWorker worker in workers)
        {
            worker.RequestStop();
        }

        try
        {
            await Task.WhenAll(workers.Select(w => w.Finished)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host's stop timeout passed: unbind what did end, leave the rest to the process's end.
        }

        var running = workers.Where(w => !w.Finished.IsCompleted).ToList();
        foreach (QueueWorker worker in workers.Where(w => w.Finished.IsCompleted))
        {
            worker.Dispose();
        }

        foreach (QueueWorker worker in running)
        {
            WorkerStillRunning(logger, worker.Queue);
        }

        lock (_lock)
        {
            _workers.Clear();
        }

        return running;
    }

    [LoggerMessage(EventId = LogEventIds.QueueBound, Level = LogLevel.Information, Message = "queue {Queue} bound, {Policy} when the queue overflows")]
    private static partial void QueueBound(ILogger logger, ushort queue, string policy);

    [LoggerMessage(EventId = LogEventIds.QueueNotBound, Level = LogLevel.Error, Message = "queue {Queue} is not served: {Reason}")]
    private static partial void QueueNotBound(ILogger logger, ushort queue, string reason);

    [LoggerMessage(EventId = LogEventIds.QueueUnbound, Level = LogLevel.Information, Message = "queue {Queue} unbound: {Why}")]
    private static partial void QueueUnbound(ILogger logger, ushort queue, string why);

    [LoggerMessage(EventId = LogEventIds.WorkerNotStopped, Level = LogLevel.Error, Message = "queue {Queue}: its worker did not stop in time; its socket stays open until nfluad exits")]
    private static partial void WorkerStillRunning(ILogger logger, ushort queue);
}
