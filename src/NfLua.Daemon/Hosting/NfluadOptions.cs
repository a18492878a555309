namespace NfLua.Daemon.Hosting;

/// <summary>What nfluad's command line says.</summary>
internal sealed record NfluadOptions
{
    /// <summary>The configuration read when --config is not given, if it exists.</summary>
    public const string DefaultConfigPath = "/etc/nflua/nfluad.lua";

    /// <summary>--config: null means the default file if it exists, else the built-in defaults.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>--socket: overrides the configuration's control socket.</summary>
    public string? SocketPath { get; init; }

    /// <summary>--queue N...: queues bound with default settings besides the configured ones.</summary>
    public IReadOnlyList<ushort> ExtraQueues { get; init; } = [];
}
