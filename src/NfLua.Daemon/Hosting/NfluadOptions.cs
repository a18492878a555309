namespace NfLua.Daemon.Hosting;

/// <summary>What nfluad's command line (and systemd's environment) says.</summary>
internal sealed record NfluadOptions
{
    /// <summary>The configuration read when --config is not given, if it exists.</summary>
    public const string DefaultConfigPath = "/etc/nflua/nfluad.lua";

    /// <summary>Where loaded rules are kept when --state-dir is not given (the unit's StateDirectory=nflua).</summary>
    public const string DefaultStateDirectory = "/var/lib/nflua";

    /// <summary>--config: null means the default file if it exists, else the built-in defaults.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>--socket: overrides the configuration's control socket.</summary>
    public string? SocketPath { get; init; }

    /// <summary>--queue N...: queues bound with default settings besides the configured ones.</summary>
    public IReadOnlyList<ushort> ExtraQueues { get; init; } = [];

    /// <summary>--state-dir: where the rules loaded with nflua-ctl are kept across restarts.</summary>
    public string StateDirectory { get; init; } = DefaultStateDirectory;

    /// <summary>How often to tell systemd's watchdog that every queue is served (half WATCHDOG_USEC); null: never.</summary>
    public TimeSpan? WatchdogPeriod { get; init; }

    /// <summary>How often the workers' progress is looked at (stuck workers, the watchdog).</summary>
    public TimeSpan WatchInterval { get; init; } = TimeSpan.FromMilliseconds(100);
}
