using Microsoft.Extensions.Logging;

namespace NfLua.Daemon.Hosting;

/// <summary>The minimum log level, set from the configuration at start and on every reload.</summary>
internal sealed class LogLevelSwitch
{
    private volatile int _level = (int)LogLevel.Information;

    public LogLevel Level
    {
        get => (LogLevel)_level;
        set => _level = (int)value;
    }

    public bool IsEnabled(LogLevel level) => level >= Level;
}
