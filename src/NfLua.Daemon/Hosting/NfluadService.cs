using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NfLua.Daemon.Configuration;
using NfLua.Daemon.Queues;
using NfLua.Daemon.Rules;

namespace NfLua.Daemon.Hosting;

/// <summary>
/// The daemon's life: read the configuration, compile every rule, bind every queue and start its
/// worker, then say READY; reload on SIGHUP (all-or-nothing); on stop, drain and unbind every queue.
/// </summary>
internal sealed partial class NfluadService(
    NfluadOptions options,
    IQueueChannelFactory channels,
    DaemonRules rules,
    ServiceNotifier notifier,
    LogLevelSwitch logLevel,
    ILoggerFactory loggers,
    ILogger<NfluadService> logger) : IHostedService, IDisposable
{
    private readonly Lock _reloadLock = new();
    private readonly Lock _workersLock = new();
    private readonly List<QueueWorker> _workers = [];
    private readonly Dictionary<ushort, string> _unbound = [];
    private Control.ControlServer? _control;
    private PosixSignalRegistration? _sighup;
    private Timer? _watchdog;

    /// <summary>The configuration in force.</summary>
    public DaemonConfig Config { get; private set; } = new();

    /// <summary>When the daemon started.</summary>
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>The running workers (one per bound queue), as of now.</summary>
    public IReadOnlyList<QueueWorker> Workers
    {
        get
        {
            lock (_workersLock)
            {
                return [.. _workers];
            }
        }
    }

    /// <summary>Queues that could not be bound, with the reason, as of now.</summary>
    public IReadOnlyDictionary<ushort, string> Unbound
    {
        get
        {
            lock (_workersLock)
            {
                return new Dictionary<ushort, string>(_unbound);
            }
        }
    }

    /// <summary>The configuration of a queue (its configured settings, or the defaults for queues bound at run time).</summary>
    public QueueConfig QueueSettings(ushort queue) =>
        Config.Queues.FirstOrDefault(q => q.Number == queue) ?? new QueueConfig { Number = queue };

    /// <summary>Binds a queue that has no worker yet (a rule was loaded onto it); returns the reason when it cannot.</summary>
    public string? EnsureQueue(ushort queue)
    {
        lock (_workersLock)
        {
            if (_workers.Any(w => w.Queue == queue))
            {
                return null;
            }

            return Bind(QueueSettings(queue));
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ConfigResult loaded = LoadConfiguration();
        if (loaded.Config is null)
        {
            throw new StartupException("the configuration is invalid", loaded.Errors);
        }

        Config = loaded.Config;
        logLevel.Level = Config.LogLevel;
        IReadOnlyList<string> ruleErrors = rules.ApplyConfiguration(Config);
        if (ruleErrors.Count > 0)
        {
            throw new StartupException("rules do not compile", ruleErrors);
        }

        lock (_workersLock)
        {
            foreach (QueueConfig queue in Config.Queues)
            {
                Bind(queue);
            }
        }

        if (Workers.Count == 0 && Config.Queues.Count > 0)
        {
            throw new StartupException("no queue could be bound", [.. _unbound.Values]);
        }

        _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            ThreadPool.QueueUserWorkItem(_ => Reload());
        });
        if (ServiceNotifier.WatchdogPeriod() is { } period)
        {
            _watchdog = new Timer(_ => notifier.Watchdog(), null, TimeSpan.Zero, period);
        }

        _control = new Control.ControlServer(
            new Control.ControlServerOptions { SocketPath = Config.Control.SocketPath, GroupId = GroupId(Config.Control.Group) },
            new ControlHandler(this, rules).HandleAsync,
            loggers.CreateLogger<Control.ControlServer>());
        _control.Start();
        File.SetUnixFileMode(Config.Control.SocketPath, Config.Control.Mode);

        string status = $"{_workers.Count} queue(s) bound, {Config.Queues.Sum(q => q.Rules.Count)} rule(s)";
        notifier.Ready(status);
        Started(logger, status);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        notifier.Stopping();
        if (_control is not null)
        {
            await _control.DisposeAsync().ConfigureAwait(false);
        }

        _sighup?.Dispose();
        _watchdog?.Dispose();
        foreach (QueueWorker worker in _workers)
        {
            worker.Stop(TimeSpan.FromSeconds(10)); // answers what it holds and what the kernel still queues
        }

        foreach (QueueWorker worker in _workers)
        {
            worker.Dispose(); // unbinds and closes the queue's socket
        }

        foreach (QueueWorker worker in _workers)
        {
            QueueCountersSnapshot q = worker.Counters.Snapshot();
            QueueTotals(logger, worker.Queue, q.Packets, q.Accepted, q.Dropped, q.Batches, q.ReceiveErrors);
            foreach (Scripting.LuaRule rule in rules.For(worker.Queue).Published.Rules)
            {
                Scripting.RuleCountersSnapshot r = rule.Counters.Snapshot();
                RuleTotals(logger, worker.Queue, rule.Name, r.Calls, r.Pass, r.Drop, r.Failures, r.MeanCallTime.TotalMicroseconds);
            }
        }

        _workers.Clear();
        rules.Clear();
        Stopped(logger);
    }

    /// <summary>Re-reads the configuration and swaps every queue's rules, or changes nothing and says why.</summary>
    public IReadOnlyList<string> Reload()
    {
        lock (_reloadLock)
        {
            notifier.Reloading();
            try
            {
                ConfigResult loaded = LoadConfiguration();
                IReadOnlyList<string> errors = loaded.Config is null ? loaded.Errors : rules.ApplyConfiguration(loaded.Config);
                if (errors.Count > 0)
                {
                    foreach (string error in errors)
                    {
                        ReloadRefused(logger, error);
                    }

                    return errors;
                }

                var added = loaded.Config!.Queues.Select(q => q.Number).Except(Config.Queues.Select(q => q.Number)).ToList();
                if (added.Count > 0)
                {
                    NewQueuesNeedRestart(logger, string.Join(", ", added));
                }

                // Rules change on reload; a bound queue's kernel and thread settings stay as they were bound.
                foreach (QueueConfig now in loaded.Config.Queues)
                {
                    if (Config.Queues.FirstOrDefault(q => q.Number == now.Number) is { } before && ChangedSettings(before, now) is { Length: > 0 } changed)
                    {
                        QueueSettingsNeedRestart(logger, now.Number, changed);
                    }
                }

                Config = loaded.Config;
                logLevel.Level = Config.LogLevel;
                Reloaded(logger, Config.Source.Length == 0 ? "built-in defaults" : Config.Source);
                return [];
            }
            finally
            {
                notifier.Ready("reloaded");
            }
        }
    }

    public void Dispose()
    {
        _sighup?.Dispose();
        _watchdog?.Dispose();
    }

    /// <summary>Binds a queue and starts its worker (caller holds the workers lock); returns why it could not.</summary>
    private string? Bind(QueueConfig queue)
    {
        try
        {
            IQueueChannel channel = channels.Open(queue);
            var worker = new QueueWorker(channel, rules.For(queue.Number), queue.FailOpen, logger, queue.Cpu);
            _workers.Add(worker);
            _unbound.Remove(queue.Number);
            worker.Start();
            QueueBound(logger, queue.Number, queue.Rules.Count, queue.FailOpen ? "fail-open" : "fail-closed");
            return null;
        }
        catch (QueueBindException ex)
        {
            // One queue held elsewhere must not take the others down.
            _unbound[queue.Number] = ex.Message;
            QueueNotBound(logger, queue.Number, ex.Message);
            return ex.Message;
        }
    }

    /// <summary>The names of the queue settings that differ ("maxlen, cpu"), or "" when none do.</summary>
    private static string ChangedSettings(QueueConfig before, QueueConfig now)
    {
        var changed = new List<string>();
        if (before.MaxLength != now.MaxLength)
        {
            changed.Add("maxlen");
        }

        if (before.CopyRange != now.CopyRange)
        {
            changed.Add("copy_range");
        }

        if (before.FailOpen != now.FailOpen)
        {
            changed.Add("fail_open");
        }

        if (before.ReceiveBufferBytes != now.ReceiveBufferBytes)
        {
            changed.Add("rcvbuf");
        }

        if (before.Cpu != now.Cpu)
        {
            changed.Add("cpu");
        }

        return string.Join(", ", changed);
    }

    /// <summary>The gid of a group named in the configuration (from /etc/group), or null.</summary>
    private static uint? GroupId(string? group)
    {
        if (group is null || !File.Exists("/etc/group"))
        {
            return null;
        }

        foreach (string line in File.ReadLines("/etc/group"))
        {
            string[] fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == group && uint.TryParse(fields[2], out uint gid))
            {
                return gid;
            }
        }

        throw new StartupException("the control socket's group does not exist", [$"group '{group}' is not in /etc/group"]);
    }

    private ConfigResult LoadConfiguration()
    {
        ConfigResult result;
        if (options.ConfigPath is { } path)
        {
            result = ConfigLoader.LoadFile(path);
        }
        else if (File.Exists(NfluadOptions.DefaultConfigPath))
        {
            result = ConfigLoader.LoadFile(NfluadOptions.DefaultConfigPath);
        }
        else
        {
            result = new ConfigResult(new DaemonConfig(), []);
        }

        if (result.Config is not { } config)
        {
            return result;
        }

        if (options.SocketPath is { } socket)
        {
            config = config with { Control = config.Control with { SocketPath = socket } };
        }

        var extra = options.ExtraQueues.Where(n => config.Queues.All(q => q.Number != n)).Select(n => new QueueConfig { Number = n });
        return new ConfigResult(config with { Queues = [.. config.Queues, .. extra] }, []);
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "queue {Queue} bound with {Rules} configured rule(s), {Policy} when the queue overflows")]
    private static partial void QueueBound(ILogger logger, ushort queue, int rules, string policy);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "queue {Queue} is not served: {Reason}")]
    private static partial void QueueNotBound(ILogger logger, ushort queue, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "nfluad is ready: {Status}")]
    private static partial void Started(ILogger logger, string status);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "nfluad stopped: every queue drained and unbound")]
    private static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "queue {Queue}: {Packets} packets, {Accepted} accepted, {Dropped} dropped, {Batches} batches, {ReceiveErrors} receive errors")]
    private static partial void QueueTotals(ILogger logger, ushort queue, long packets, long accepted, long dropped, long batches, long receiveErrors);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Information, Message = "queue {Queue} rule {Rule}: {Calls} calls, {Passed} passed, {Dropped} dropped, {Failures} failures, {MeanMicroseconds:F1} us per call")]
    private static partial void RuleTotals(ILogger logger, ushort queue, string rule, long calls, long passed, long dropped, long failures, double meanMicroseconds);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "reload refused, the running rules stay: {Error}")]
    private static partial void ReloadRefused(ILogger logger, string error);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "configuration reloaded from {Source}")]
    private static partial void Reloaded(ILogger logger, string source);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "queues {Queues} were added to the configuration: they are bound at the next start")]
    private static partial void NewQueuesNeedRestart(ILogger logger, string queues);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "queue {Queue}: changed {Settings} take effect at the next start; its rules were reloaded")]
    private static partial void QueueSettingsNeedRestart(ILogger logger, ushort queue, string settings);
}

/// <summary>nfluad cannot start; every reason is listed.</summary>
internal sealed class StartupException(string summary, IReadOnlyList<string> errors)
    : Exception(summary + ":" + Environment.NewLine + string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
