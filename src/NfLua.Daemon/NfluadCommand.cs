using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NfLua.Daemon.Configuration;
using NfLua.Daemon.Hosting;
using NfLua.Daemon.Queues;
using NfLua.Daemon.Rules;
using NfLua.Lua.Native;

namespace NfLua.Daemon;

/// <summary>nfluad's command line: <c>nfluad [--config FILE] [--socket PATH] [--queue N]...</c>.</summary>
internal static class NfluadCommand
{
    public static int Run(string[] args)
    {
        var config = new Option<string?>("--config") { Description = $"the configuration file (default: {NfluadOptions.DefaultConfigPath} if it exists, else built-in defaults)" };
        var socket = new Option<string?>("--socket") { Description = $"the control socket (default: the configuration's, else {DaemonConfig.DefaultSocketPath})" };
        var queues = new Option<ushort[]>("--queue") { Description = "bind queue N with default settings, besides the configured queues (repeatable)", AllowMultipleArgumentsPerToken = false };
        var check = new Option<bool>("--check-config") { Description = "validate the configuration and its rules, print every problem, and exit" };
        var root = new RootCommand("nfluad: runs Lua packet-filter rules on netfilter queues (iptables -j NFQUEUE).")
        {
            config, socket, queues, check,
        };
        root.SetAction(result =>
        {
            var options = new NfluadOptions
            {
                ConfigPath = result.GetValue(config),
                SocketPath = result.GetValue(socket),
                ExtraQueues = result.GetValue(queues) ?? [],
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
        builder.Services.AddSingleton(logLevel);
        builder.Services.AddSystemd(); // journald format and lifetime when run by systemd
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<IQueueChannelFactory, NetlinkChannelFactory>();
        builder.Services.AddSingleton<DaemonRules>();
        builder.Services.AddSingleton<ServiceNotifier>();
        builder.Services.AddSingleton<NfluadService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NfluadService>());
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

    private static int CheckConfiguration(NfluadOptions options)
    {
        string path = options.ConfigPath ?? NfluadOptions.DefaultConfigPath;
        ConfigResult result = ConfigLoader.LoadFile(path);
        IReadOnlyList<string> errors = result.Errors;
        if (result.Config is { } loaded)
        {
            var rules = new DaemonRules(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
            errors = rules.ApplyConfiguration(loaded);
            rules.Clear();
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
