using NfLua.Daemon.Configuration;

namespace NfLua.Daemon.Hosting;

/// <summary>
/// The configuration in force, and how it is read: the file named by --config (or the default file, or the built-in
/// defaults) with the command line's overrides (--socket, --queue) applied on top.
/// </summary>
internal sealed class DaemonConfiguration(NfluadOptions options)
{
    private DaemonConfig _current = new();

    /// <summary>The configuration in force.</summary>
    public DaemonConfig Current => Volatile.Read(ref _current);

    /// <summary>Reads the configuration as it is now on disk; changes nothing.</summary>
    public ConfigResult Read()
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

    /// <summary>Puts <paramref name="config"/> in force.</summary>
    public void Use(DaemonConfig config) => Volatile.Write(ref _current, config);

    /// <summary>Whether the configuration (or --queue) names <paramref name="queue"/>.</summary>
    public bool IsConfigured(ushort queue) => Current.Queues.Any(q => q.Number == queue);

    /// <summary>A queue's configured settings, or the defaults for queues bound at run time.</summary>
    public QueueConfig SettingsOf(ushort queue) =>
        Current.Queues.FirstOrDefault(q => q.Number == queue) ?? new QueueConfig { Number = queue };
}
