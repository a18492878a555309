using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NfLua.Daemon.Configuration;
using NfLua.Daemon.Hosting;
using NfLua.Daemon.Queues;
using NfLua.Daemon.State;
using NfLua.Engine;
using NfLua.Lua.Native;

namespace NfLua.Daemon;

/// <summary>nfluad's command line: <c>nfluad [--config FILE] [--socket PATH] [--queue N]... [--state-dir DIR]</c>.</summary>
internal static class NfluadCommand
{
    public static int Run(string[] args)
    {
        var config = new Option<string?>("--config") { Description = $"the configuration file (default: {NfluadOptions.DefaultConfigPath} if it exists, else built-in defaults)" };
        var socket = new Option<string?>("--socket") { Description = $"the control socket (default: the configuration's, else {DaemonConfig.DefaultSocketPath})" };
        var queues = new Option<ushort[]>("--queue") { Description = "bind queue N with default settings, besides the configured queues (repeatable)", AllowMultipleArgumentsPerToken = false };
        var stateDir = new Option<string?>("--state-dir") { Description = $"where the rules loaded with nflua-ctl are kept across restarts (default: {NfluadOptions.DefaultStateDirectory})", HelpName = "DIR" };
        var check = new Option<bool>("--check-config") { Description = "validate the configuration and its rules, print every problem, and exit" };
        var root = new RootCommand("nfluad: runs Lua packet-filter rules on netfilter queues (iptables -j NFQUEUE).")
        {
            config, socket, queues, stateDir, check,
        };
        root.SetAction(result =>
        {
            var options = new NfluadOptions
            {
                ConfigPath = result.GetValue(config),
                SocketPath = result.GetValue(socket),
                ExtraQueues = result.GetValue(queues) ?? [],
                StateDirectory = result.GetValue(stateDir) ?? NfluadOptions.DefaultStateDirectory,
                WatchdogPeriod = ServiceNotifier.WatchdogPeriodFromEnvironment(),
            };
            return result.GetValue(check) ? CheckConfiguration(options) : RunDaemon(options);
        });
        return root.Parse(args).Invoke();
    }

    private static int RunDaemon(NfluadOptions options)
    {
        try
        {
            LuaRuntimeCheck.EnsureIntegerLua();
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine("nfluad: " + ex.Message);
            return 3;
        }

        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        var logLevel = new LogLevelSwitch();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddFilter((_, _, level) => logLevel.IsEnabled(level));
        // A refused start is nfluad's own one-line message below; the host would log it again with a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.Services.AddSingleton(logLevel);
        builder.Services.AddSystemd(); // journald format and lifetime when run by systemd
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<IQueueChannelFactory, NetlinkChannelFactory>();
        builder.Services.AddSingleton<IServiceNotifier, ServiceNotifier>();
        AddDaemon(builder.Services, options);
        using IHost host = builder.Build();
        try
        {
            host.Run();
            return 0;
        }
        catch (StartupException ex)
        {
            Console.Error.WriteLine("nfluad: cannot start: " + ex.Message);
            return 1;
        }
    }

    /// <summary>The daemon's parts, once the queue channels, the notifier and the options are registered (tests register fakes).</summary>
    internal static void AddDaemon(IServiceCollection services, NfluadOptions options)
    {
        services.AddSingleton(sp => new RuleRegistry(name => sp.GetRequiredService<ILoggerFactory>().CreateLogger("NfLua.Rules." + name)));
        services.AddSingleton(new RuleStateFile(options.StateDirectory));
        services.AddSingleton<DaemonConfiguration>();
        services.AddSingleton<QueueWorkers>();
        services.AddSingleton<RuleChanges>();
        services.AddSingleton<WorkerWatch>();
        services.AddSingleton<NfluadService>();
        services.AddHostedService(sp => sp.GetRequiredService<NfluadService>());
    }

    private static int CheckConfiguration(NfluadOptions options)
    {
        string path = options.ConfigPath ?? NfluadOptions.DefaultConfigPath;
        ConfigResult result = ConfigLoader.LoadFile(path);
        var errors = new List<string>(result.Errors);
        if (result.Config is { } loaded)
        {
            ConfiguredRules.Compile(loaded, new RuleRegistry(), errors)?.Dispose();
        }

        foreach (string error in errors)
        {
            Console.Error.WriteLine(error);
        }

        if (errors.Count == 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path}: valid"));
        }

        return errors.Count == 0 ? 0 : 1;
    }
}
