using System.CommandLine;
using System.CommandLine.Invocation;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using NfLua.CommandLine;
using NfLua.Daemon.Configuration;
using NfLua.Daemon.Hosting;
using NfLua.Daemon.Logging;
using NfLua.Daemon.Queues;
using NfLua.Daemon.State;
using NfLua.Engine;
using NfLua.Lua.Native;

namespace NfLua.Daemon;

/// <summary>nfluad's command line: <c>nfluad [--config FILE] [--socket PATH] [--queue N]... [--state-dir DIR] [--check-config]</c>.</summary>
internal static class NfluadCommand
{
    public const string ProgramName = "nfluad";

    // The host logs a start-up failure before rethrowing it; Run prints it once, as one line when it is expected.
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";
    private const string LifetimeCategory = "Microsoft.Hosting.Lifetime";

    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Parses <paramref name="args"/> and runs the daemon or the configuration check.</summary>
    /// <returns>One of <see cref="ExitCodes"/>.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        RootCommand root = CreateRoot(output, error);
        ParseResult parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            UsageErrors.Write(parse, ProgramName, error);
            return ExitCodes.UsageError;
        }

        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    internal static RootCommand CreateRoot(TextWriter output, TextWriter error)
    {
        var config = new Option<string?>("--config")
        {
            Description = $"the configuration file (default: {NfluadOptions.DefaultConfigPath} if it exists, else built-in defaults)",
            HelpName = "FILE",
        };
        var socket = new Option<string?>("--socket")
        {
            Description = $"the control socket (default: the configuration's, else {DaemonConfig.DefaultSocketPath}); its directory must be writable",
            HelpName = "PATH",
        };
        var queues = new Option<ushort[]>("--queue")
        {
            Description = "bind queue N (0-65535) with default settings, besides the configured queues (repeatable)",
            HelpName = "N",
            AllowMultipleArgumentsPerToken = false,
            CustomParser = QueueNumberParser.ParseMany,
        };
        var stateDir = new Option<string?>("--state-dir")
        {
            Description = $"where the rules loaded with nflua-ctl are kept across restarts (default: {NfluadOptions.DefaultStateDirectory})",
            HelpName = "DIR",
        };
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
            return result.GetValue(check) ? CheckConfiguration(options, output, error) : RunDaemon(options, error);
        });
        HelpWithSynopsisAction.Install(root, ProgramName, ExitCodes.HelpText);
        return root;
    }

    private static int RunDaemon(NfluadOptions options, TextWriter error)
    {
        try
        {
            LuaRuntimeCheck.EnsureIntegerLua();
        }
        catch (InvalidOperationException ex)
        {
            error.WriteLine($"{ProgramName}: {ex.Message}");
            return ExitCodes.WrongLuaLibrary;
        }

        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        var logLevel = new LogLevelSwitch();
        if (JournalLoggerProvider.StderrIsTheJournal(Environment.GetEnvironmentVariable))
        {
            // Under systemd with stderr on the journal: entries with structured fields (RULE=, QUEUE=...).
            builder.Logging.AddProvider(new JournalLoggerProvider(JournalLoggerProvider.DefaultSocketPath, Console.Error));
        }
        else
        {
            // Elsewhere: one line per entry with a UTC timestamp.
            builder.Logging.AddConsole(console =>
            {
                console.LogToStandardErrorThreshold = LogLevel.Trace;
                console.FormatterName = OneLineFormatter.FormatterName;
            });
            builder.Logging.AddConsoleFormatter<OneLineFormatter, ConsoleFormatterOptions>();
        }

        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddFilter((_, _, level) => logLevel.IsEnabled(level));
        builder.Logging.AddFilter(HostCategory, level => level < LogLevel.Error && logLevel.IsEnabled(level));
        // The generic host's own chatter ("Application started. Press Ctrl+C...", "Content root path") says nothing
        // an operator needs; its warnings and errors stay.
        builder.Logging.AddFilter(LifetimeCategory, level => level >= LogLevel.Warning && logLevel.IsEnabled(level));
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
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ex is StartupException or IOException or UnauthorizedAccessException or SocketException)
        {
            // Expected at start (a bad configuration, a socket directory nfluad may not write, a socket in use): one
            // line for the operator. Anything else is a bug and keeps its stack trace.
            error.WriteLine($"{ProgramName}: cannot start: {ex.Message}");
            return ExitCodes.CannotStart;
        }
    }

    /// <summary>The daemon's parts, once the queue channels, the notifier and the options are registered (tests register fakes).</summary>
    internal static void AddDaemon(IServiceCollection services, NfluadOptions options)
    {
        services.AddSingleton(sp => new RuleRegistry(name => sp.GetRequiredService<ILoggerFactory>().CreateLogger("NfLua.Rules." + name)));
        services.AddSingleton(new RuleStateFile(options.StateDirectory));
        services.AddSingleton(new SetStateFile(options.StateDirectory));
        services.AddSingleton<NamedSets>();
        services.AddSingleton<DaemonConfiguration>();
        services.AddSingleton<QueueWorkers>();
        services.AddSingleton<RuleChanges>();
        services.AddSingleton<WorkerWatch>();
        services.AddSingleton<NfluadService>();
        services.AddHostedService(sp => sp.GetRequiredService<NfluadService>());
    }

    private static int CheckConfiguration(NfluadOptions options, TextWriter output, TextWriter error)
    {
        string path = options.ConfigPath ?? NfluadOptions.DefaultConfigPath;
        ConfigResult result = ConfigLoader.LoadFile(path);
        var errors = new List<string>(result.Errors);
        if (result.Config is { } loaded)
        {
            ConfiguredRules.Compile(loaded, new RuleRegistry(), errors)?.Dispose();
        }

        foreach (string problem in errors)
        {
            error.WriteLine(problem);
        }

        if (errors.Count == 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path}: valid"));
        }

        return errors.Count == 0 ? ExitCodes.Success : ExitCodes.CannotStart;
    }
}
