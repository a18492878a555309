using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NfLua.Control;
using NfLua.Daemon.Configuration;
using NfLua.Daemon.Queues;
using NfLua.Engine;

namespace NfLua.Daemon.Hosting;

/// <summary>
/// The daemon's life. Start: read the configuration and compile its rules (nothing touched yet), open the control
/// socket (a second nfluad stops here, before it binds any queue), bind every configured queue, publish the rules,
/// restore the rules loaded with nflua-ctl, then say READY. Stop: every worker at once answers what it holds and drains
/// its queue for a bounded time, then the queues are unbound.
/// </summary>
internal sealed partial class NfluadService(
    DaemonConfiguration configuration,
    RuleRegistry rules,
    QueueWorkers workers,
    RuleChanges changes,
    NamedSets sets,
    WorkerWatch watch,
    IServiceNotifier notifier,
    LogLevelSwitch logLevel,
    ILoggerFactory loggers,
    ILogger<NfluadService> logger) : IHostedService, IDisposable
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ControlServer? _control;
    private Netlink.InterfaceTable? _interfaces;
    private MetricsFileWriter? _metrics;
    private ControlHandler? _handler;
    private Events.EventLog? _events;
    private QueueOverflowWatch? _overflows;

    /// <summary>When the daemon started.</summary>
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Completes once the daemon is ready: control requests wait for it (they may arrive while queues are bound).</summary>
    public Task Started => _started.Task;

    /// <summary>What answers the control socket's requests.</summary>
    internal ControlHandler Handler => _handler ??= new ControlHandler(this, configuration, rules, workers, changes, sets, watch, Events, loggers.CreateLogger("NfLua.Audit"));

    /// <summary>The event log: the rules' alerts and failures, control actions, queue overflows.</summary>
    internal Events.EventLog Events => _events ??= new Events.EventLog(configuration, new Scripting.Messages.RuleMessageHub(), loggers);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            Start();
            _started.TrySetResult();
            return Task.CompletedTask;
        }
        catch (StartupException ex)
        {
            _started.TrySetException(ex);
            Undo();
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        notifier.Stopping();
        if (_control is not null)
        {
            await _control.DisposeAsync().ConfigureAwait(false);
        }

        _sighup?.Dispose();
        watch.Dispose();
        _interfaces?.Dispose();
        if (_metrics is not null)
        {
            await _metrics.DisposeAsync().ConfigureAwait(false);
        }

        IReadOnlyList<QueueWorker> stopped = workers.All;
        IReadOnlyList<QueueWorker> running = await workers.StopAllAsync(cancellationToken).ConfigureAwait(false);
        _events?.Dispose(); // after the workers: what they said last is written
        foreach (QueueWorker worker in stopped)
        {
            QueueCountersSnapshot q = worker.Counters.Snapshot();
            QueueTotals(logger, worker.Queue, q.Packets, q.Accepted, q.Dropped, q.Batches, q.ReceiveErrors);
            foreach (Scripting.LuaRule rule in rules.For(worker.Queue).Published.Rules)
            {
                Scripting.RuleCountersSnapshot r = rule.Counters.Snapshot();
                RuleTotals(logger, worker.Queue, rule.Name, r.Calls, r.Pass, r.Drop, r.Failures, r.MeanCallTime.TotalMicroseconds);
            }
        }

        if (running.Count == 0)
        {
            rules.Clear(); // a rule a stuck worker may still run in is never freed under it
            Stopped(logger);
        }
    }

    public void Dispose()
    {
        _sighup?.Dispose();
        watch.Dispose();
        _interfaces?.Dispose();
    }

    private void Start()
    {
        ConfigResult loaded = configuration.Read();
        if (loaded.Config is not { } config)
        {
            throw new StartupException("the configuration is invalid", loaded.Errors);
        }

        logLevel.Level = config.LogLevel;
        OpenInterfaceNames();
        UseEventSettings(config);
        rules.Shared = rules.Shared with { Messages = Events.Hub };
        var errors = new List<string>();
        SetsCandidate shared = sets.Prepare(config, errors, atStart: true) ?? throw new StartupException("sets or modules cannot be read", errors);
        using (CompiledRules compiled = ConfiguredRules.Compile(config, rules, errors, shared.Environment) ?? throw new StartupException("rules do not compile", errors))
        {
            _control = OpenControlSocket(config.Control);
            configuration.Use(config);
            foreach (QueueConfig queue in config.Queues)
            {
                workers.Bind(queue, configured: true);
            }

            if (workers.All.Count == 0 && config.Queues.Count > 0)
            {
                throw new StartupException("no queue could be bound", [.. workers.Unbound.Values]);
            }

            sets.Commit(shared);
            rules.ApplyConfiguration(compiled);
        }

        changes.Restore();
        ListenForReloads();
        watch.Start();
        _overflows = new QueueOverflowWatch(workers, Events);
        Events.EverySecond = _overflows.Check;
        Events.Start();
        _metrics = new MetricsFileWriter(configuration, () => Handler, loggers.CreateLogger<MetricsFileWriter>());
        _metrics.WriteOnce();
        _metrics.Start();
        string status = string.Create(CultureInfo.InvariantCulture,
            $"{workers.All.Count} queue(s) bound, {rules.Definitions.Count} rule(s)");
        notifier.Ready(status);
        Ready(logger, status);
    }

    /// <summary>The rules' message limits from events { rate, burst }: rules compiled from now on get them.</summary>
    internal void UseEventSettings(DaemonConfig config) =>
        Events.Hub.Settings = new Scripting.Messages.RuleMessageSettings(config.Events.Rate, config.Events.Burst, Scripting.Messages.RuleMessageSettings.DefaultRingCapacity);

    /// <summary>Opens the control socket; an operator's mistake (a socket in use, a directory nfluad may not write) is one line.</summary>
    private ControlServer OpenControlSocket(ControlConfig control)
    {
        var server = new ControlServer(
            new ControlServerOptions { SocketPath = control.SocketPath, GroupId = ControlGroup.Resolve(control.Group) },
            Handler.HandleAsync,
            loggers.CreateLogger<ControlServer>());
        try
        {
            server.Start();
            File.SetUnixFileMode(control.SocketPath, control.Mode);
            return server;
        }
        catch (Exception ex) when (ex is IOException or SocketException or UnauthorizedAccessException)
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            // ControlServer's messages name the socket or its directory and say what to do: one line.
            throw new StartupException(ex.Message.Contains(control.SocketPath, StringComparison.Ordinal) || ex.Message.StartsWith("cannot create", StringComparison.Ordinal)
                ? ex.Message
                : $"the control socket {control.SocketPath} cannot be opened: {ex.Message}");
        }
    }

    /// <summary>After a failed start: close the control socket and unbind what was bound.</summary>
    private void Undo()
    {
        _control?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _control = null;
        workers.StopAllAsync(CancellationToken.None).GetAwaiter().GetResult();
        rules.Clear();
        _interfaces?.Dispose();
        _interfaces = null;
    }

    /// <summary>Follows the kernel's interface names for nflua.meta (from now on, for every rule compiled).</summary>
    private void OpenInterfaceNames()
    {
        int errno = Netlink.InterfaceTable.Open(out _interfaces);
        if (errno != 0)
        {
            InterfaceNamesUnavailable(logger, errno);
            return;
        }

        rules.Shared = rules.Shared with { Interfaces = new KernelInterfaceNames(_interfaces!) };
    }
}
