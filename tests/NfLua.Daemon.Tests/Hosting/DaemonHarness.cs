using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NfLua.Control;
using NfLua.Daemon.Hosting;
using NfLua.Daemon.Tests.Queues;
using NfLua.Engine;

namespace NfLua.Daemon.Tests.Hosting;

/// <summary>
/// The whole daemon in this process: the real service, registry, workers, watch, state file and control handler, over
/// in-memory queues (<see cref="FakeChannelFactory"/>) instead of the kernel's. No root needed.
/// </summary>
internal sealed class DaemonHarness : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly ServiceProvider _provider;
    private int _nextId;
    private bool _started;

    private DaemonHarness(string directory, string stateDirectory, TimeSpan? watchdogPeriod)
    {
        Directory = directory;
        StateDirectory = stateDirectory;
        var options = new NfluadOptions
        {
            ConfigPath = ConfigPath,
            SocketPath = Path.Combine(directory, "nflua.sock"),
            StateDirectory = stateDirectory,
            WatchdogPeriod = watchdogPeriod,
            WatchInterval = TimeSpan.FromMilliseconds(50),
        };
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton(options);
        services.AddSingleton<Daemon.Queues.IQueueChannelFactory>(Channels);
        services.AddSingleton<IServiceNotifier>(Notifier);
        services.AddSingleton(new LogLevelSwitch());
        NfluadCommand.AddDaemon(services, options);
        _provider = services.BuildServiceProvider();
        Service = _provider.GetRequiredService<NfluadService>();
    }

    public string Directory { get; }

    public string StateDirectory { get; }

    public string ConfigPath => Path.Combine(Directory, "nfluad.lua");

    public FakeChannelFactory Channels { get; } = new();

    public RecordingNotifier Notifier { get; } = new();

    public LogRecorder Logs { get; } = new();

    public NfluadService Service { get; }

    public RuleRegistry Rules => _provider.GetRequiredService<RuleRegistry>();

    public QueueWorkers Workers => _provider.GetRequiredService<QueueWorkers>();

    public DaemonConfiguration Configuration => _provider.GetRequiredService<DaemonConfiguration>();

    /// <summary>A daemon with <paramref name="config"/> and <paramref name="scripts"/> in a directory of its own (and its own state directory unless given one).</summary>
    public static DaemonHarness Create(string config, IDictionary<string, string>? scripts = null, string? stateDirectory = null, TimeSpan? watchdogPeriod = null)
    {
        string directory = System.IO.Directory.CreateTempSubdirectory("nfluad-inproc-").FullName;
        var harness = new DaemonHarness(directory, stateDirectory ?? Path.Combine(directory, "state"), watchdogPeriod);
        harness.WriteConfig(config);
        foreach (var (name, text) in scripts ?? new Dictionary<string, string>())
        {
            File.WriteAllText(Path.Combine(directory, name), text);
        }

        return harness;
    }

    public void WriteConfig(string text) => File.WriteAllText(ConfigPath, text);

    public async Task StartAsync()
    {
        await Service.StartAsync(TestContext.Current.CancellationToken);
        _started = true;
    }

    public async Task StopAsync()
    {
        _started = false;
        await Service.StopAsync(TestContext.Current.CancellationToken);
    }

    public async Task<ControlResponse> SendAsync(ControlCommand command, ControlPeer? peer = null) =>
        await Service.Handler.HandleAsync(new ControlRequest(++_nextId, command) { Peer = peer }, TestContext.Current.CancellationToken);

    /// <summary>Sends <paramref name="command"/>; fails the test unless it succeeded.</summary>
    public async Task<T> OkAsync<T>(ControlCommand command) where T : ControlResult
    {
        ControlResponse response = await SendAsync(command);
        Assert.True(response.IsOk, response.Error?.Message);
        return (T)response.Result!;
    }

    /// <summary>Sends <paramref name="command"/>; fails the test unless it was refused with <paramref name="name"/>; returns the message.</summary>
    public async Task<string> RefusedAsync(ControlCommand command, ControlErrorName name)
    {
        ControlResponse response = await SendAsync(command);
        Assert.False(response.IsOk, $"{command} was not refused");
        Assert.Equal(name, response.Error!.Name);
        return response.Error.Message;
    }

    public Task<StatusResult> StatusAsync() => OkAsync<StatusResult>(new StatusRequest());

    public async Task<IReadOnlyList<RuleInfo>> ListAsync() => (await OkAsync<ListResult>(new ListRequest())).Rules;

    /// <summary>Pushes <paramref name="count"/> packets through <paramref name="queue"/> and waits for their verdicts.</summary>
    public static List<DecisionKind> Judge(FakeQueueChannel channel, int count = 1)
    {
        uint[] ids = [.. Enumerable.Range(0, count).Select(_ => channel.Push([0x45, 0, 0, 20]))];
        WaitUntil(() => ids.All(channel.Verdicts.ContainsKey), $"verdicts for {count} packets on queue {channel.Queue}");
        return [.. ids.Select(id => channel.Verdicts[id].Kind)];
    }

    public static void WaitUntil(Func<bool> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Wait, $"timed out waiting for {what}");
            Thread.Sleep(5);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await Service.StopAsync(CancellationToken.None);
        }

        await _provider.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
