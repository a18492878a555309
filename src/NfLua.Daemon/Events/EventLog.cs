using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using NfLua.Daemon.Configuration;
using NfLua.Daemon.Hosting;
using NfLua.Scripting.Messages;

namespace NfLua.Daemon.Events;

/// <summary>
/// The event log: one thread drains the rules' message rings (<see cref="RuleMessageHub"/>) and the events other threads
/// post (control actions, queue overflows), writes the log lines to the log and every event as one JSON line to
/// <c>events { file }</c>, and keeps the latest in memory for <c>nflua-ctl events</c>. The queues' workers never wait
/// for it: a full ring drops and counts.
/// </summary>
internal sealed partial class EventLog : IDisposable
{
    /// <summary>Events kept in memory for nflua-ctl events.</summary>
    public const int RecentCapacity = 4096;

    private const int PostedCapacity = 4096;
    private static readonly TimeSpan s_drainInterval = TimeSpan.FromMilliseconds(50);

    private readonly DaemonConfiguration _configuration;
    private readonly ILogger _logger;
    private readonly ILogger _rulesLogger;
    private readonly ConcurrentQueue<(string? Rule, string Json)> _posted = new();
    private readonly Lock _recentLock = new();
    private readonly (long Seq, string? Rule, string Json)[] _recent = new (long, string?, string)[RecentCapacity];
    private readonly AutoResetEvent _wake = new(false);
    private readonly Thread _thread;

    // The drain's callbacks, made once: the event thread drains every 50 ms, and a quiet daemon allocates nothing.
    private readonly Action<RuleMessage> _takeMessage;
    private readonly Action<RuleMessages, RuleMessageKind, long> _takeStormTail;
    private bool _tailsKept;
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _seq;
    private int _postedCount;
    private long _postedDropped;
    private long _written;
    private long _writeErrors;
    private volatile bool _reopen;
    private volatile bool _stopping;
    private EventFile? _file;
    private string? _failing;

    public EventLog(DaemonConfiguration configuration, RuleMessageHub hub, ILoggerFactory loggers)
    {
        _configuration = configuration;
        Hub = hub;
        _logger = loggers.CreateLogger<EventLog>();
        _rulesLogger = loggers.CreateLogger("NfLua.Rules");
        _thread = new Thread(Run) { Name = "nflua-events", IsBackground = true };
        _takeMessage = TakeMessage;
        _takeStormTail = TakeStormTail;
    }

    /// <summary>Where the rules' messages come from.</summary>
    public RuleMessageHub Hub { get; }

    /// <summary>Called once a second on the event thread (the queue overflow check).</summary>
    public Action? EverySecond { get; set; }

    /// <summary>The sequence number of the latest event.</summary>
    public long Latest => Interlocked.Read(ref _seq);

    /// <summary>Events posted by other threads and dropped because too many were waiting.</summary>
    public long PostedDropped => Interlocked.Read(ref _postedDropped);

    /// <summary>Events written to the file.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Lines that could not be written to the file.</summary>
    public long WriteErrors => Interlocked.Read(ref _writeErrors);

    public void Start() => _thread.Start();

    /// <summary>Closes the file after the next drain, so the next event opens it again (SIGHUP: logrotate renamed it).</summary>
    public void Reopen()
    {
        _reopen = true;
        _wake.Set();
    }

    /// <summary>Posts an event made elsewhere (one JSON object); never waits: beyond a bound, it is dropped and counted.</summary>
    public void Post(string? rule, string json)
    {
        if (Interlocked.Increment(ref _postedCount) > PostedCapacity)
        {
            Interlocked.Decrement(ref _postedCount);
            Interlocked.Increment(ref _postedDropped);
            return;
        }

        _posted.Enqueue((rule, json));
        _wake.Set();
    }

    /// <summary>Drains now, on the caller's thread (tests, and the last drain at stop).</summary>
    internal void DrainNow()
    {
        lock (_thread)
        {
            DrainOnce();
        }
    }

    /// <summary>The events after <paramref name="after"/> (of <paramref name="rule"/> only when given), at most <paramref name="max"/>, and the sequence number to ask after next.</summary>
    public (List<string> Events, long Next) After(long after, string? rule, int max)
    {
        var events = new List<string>();
        lock (_recentLock)
        {
            long latest = _seq;
            long first = Math.Max(after + 1, latest - RecentCapacity + 1);
            long next = after < first - 1 ? first - 1 : after;
            for (long seq = first; seq <= latest && events.Count < max; seq++)
            {
                var entry = _recent[seq % RecentCapacity];
                next = seq;
                if (rule is null || entry.Rule == rule)
                {
                    events.Add(entry.Json);
                }
            }

            return (events, Math.Max(next, Math.Min(after, latest)));
        }
    }

    /// <summary>Completes when an event newer than <paramref name="after"/> is kept, or after <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(long after, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task appended;
        lock (_recentLock)
        {
            if (_seq > after)
            {
                return;
            }

            appended = _appended.Task;
        }

        try
        {
            await appended.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    private void Run()
    {
        long nextSecond = Environment.TickCount64 + 1000;
        while (!_stopping)
        {
            _wake.WaitOne(s_drainInterval);
            lock (_thread)
            {
                DrainOnce();
                if (Environment.TickCount64 >= nextSecond)
                {
                    nextSecond = Environment.TickCount64 + 1000;
                    try
                    {
                        EverySecond?.Invoke();
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                    }
                }
            }
        }
    }

    private void TakeMessage(RuleMessage message)
    {
        if (message.Kind == RuleMessageKind.Log)
        {
            LogRuleLine(message);
        }
        else
        {
            Keep(message.Rule, RuleMessageJson.ToJson(message));
        }
    }

    private void TakeStormTail(RuleMessages messages, RuleMessageKind kind, long count)
    {
        if (kind == RuleMessageKind.Log)
        {
            RuleLogsSuppressed(_rulesLogger, messages.Rule, messages.Queue, count);
        }
        else
        {
            Keep(messages.Rule, RuleMessageJson.SuppressedJson(messages.Rule, messages.Queue, kind, count, DateTime.UtcNow.Ticks));
            _tailsKept = true;
        }
    }

    private void DrainOnce()
    {
        bool any = false;
        while (_posted.TryDequeue(out var posted))
        {
            Interlocked.Decrement(ref _postedCount);
            Keep(posted.Rule, posted.Json);
            any = true;
        }

        any |= Hub.Drain(_takeMessage) > 0;

        // The tails of storms that ended (the bucket is full again) and that no later message carried.
        _tailsKept = false;
        Hub.TakeStormTails(Environment.TickCount64, _takeStormTail);
        any |= _tailsKept;

        if (any)
        {
            Flush();
        }

        if (_reopen)
        {
            _reopen = false;
            _file?.Reopen();
        }
    }

    private void LogRuleLine(RuleMessage message)
    {
        string line = RuleMessageJson.LogText(message);
        switch (message.Level)
        {
            case RuleLogLevel.Debug:
                RuleDebug(_rulesLogger, message.Rule, message.Queue, line);
                break;
            case RuleLogLevel.Warning:
                RuleWarning(_rulesLogger, message.Rule, message.Queue, line);
                break;
            default:
                RuleInfo(_rulesLogger, message.Rule, message.Queue, line);
                break;
        }
    }

    private void Keep(string? rule, string json)
    {
        lock (_recentLock)
        {
            long seq = ++_seq;
            _recent[seq % RecentCapacity] = (seq, rule, json);
            TaskCompletionSource appended = _appended;
            _appended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            appended.TrySetResult();
        }

        WriteToFile(json);
    }

    private void WriteToFile(string json)
    {
        EventsConfig settings = _configuration.Current.Events;
        if (settings.File is null)
        {
            _file?.Dispose();
            _file = null;
            return;
        }

        if (_file is null || _file.Path != settings.File || _file.MaxSize != settings.MaxSize || _file.Keep != settings.Keep)
        {
            _file?.Dispose();
            _file = new EventFile(settings.File, settings.MaxSize, settings.Keep);
        }

        try
        {
            _file.Append(json);
            Interlocked.Increment(ref _written);
            if (_failing is not null)
            {
                WritingAgain(_logger, settings.File);
                _failing = null;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _writeErrors);
            _file.Reopen();
            if (_failing != settings.File)
            {
                WriteFailed(_logger, settings.File, ex.Message);
                _failing = settings.File;
            }
        }
    }

    private void Flush()
    {
        try
        {
            _file?.Flush();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _writeErrors);
            _file?.Reopen();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _wake.Set();
        if (_thread.IsAlive)
        {
            _thread.Join(TimeSpan.FromSeconds(2));
        }

        DrainNow();
        _file?.Dispose();
        _wake.Dispose();
    }

    [LoggerMessage(EventId = LogEventIds.RuleMessage, Level = LogLevel.Debug, Message = "rule {Rule} queue {Queue}: {Line}")]
    private static partial void RuleDebug(ILogger logger, string rule, int queue, string line);

    [LoggerMessage(EventId = LogEventIds.RuleMessage, Level = LogLevel.Information, Message = "rule {Rule} queue {Queue}: {Line}")]
    private static partial void RuleInfo(ILogger logger, string rule, int queue, string line);

    [LoggerMessage(EventId = LogEventIds.RuleMessage, Level = LogLevel.Information, Message = "rule {Rule} queue {Queue}: {Count} nflua.log lines suppressed")]
    private static partial void RuleLogsSuppressed(ILogger logger, string rule, int queue, long count);

    [LoggerMessage(EventId = LogEventIds.RuleMessage, Level = LogLevel.Warning, Message = "rule {Rule} queue {Queue}: {Line}")]
    private static partial void RuleWarning(ILogger logger, string rule, int queue, string line);

    [LoggerMessage(EventId = LogEventIds.EventsWriteFailed, Level = LogLevel.Error, Message = "the event log {File} cannot be written ({Error}); events are kept in memory for nflua-ctl events meanwhile")]
    private static partial void WriteFailed(ILogger logger, string file, string error);

    [LoggerMessage(EventId = LogEventIds.EventsWriteFailed, Level = LogLevel.Information, Message = "the event log {File} is written again")]
    private static partial void WritingAgain(ILogger logger, string file);
}
