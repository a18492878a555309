using Microsoft.Extensions.Hosting.Systemd;

namespace NfLua.Daemon.Hosting;

/// <summary>
/// sd_notify through Microsoft.Extensions.Hosting.Systemd's notifier: whenever NOTIFY_SOCKET is set
/// (systemd's Type=notify, or a test that owns the socket), nfluad reports READY=1 once every queue
/// is bound and its rules compiled, RELOADING=1 around reloads, STOPPING=1, and watchdog keep-alives.
/// </summary>
internal sealed class ServiceNotifier : IServiceNotifier
{
    private readonly SystemdNotifier _notifier = new();

    public bool IsEnabled => _notifier.IsEnabled;

    public void Ready(string status) => Send($"READY=1\nSTATUS={status}");

    public void Reloading() => Send($"RELOADING=1\nMONOTONIC_USEC={MonotonicMicroseconds()}");

    public void Stopping() => Send("STOPPING=1");

    public void Watchdog() => Send("WATCHDOG=1");

    public void Status(string status) => Send("STATUS=" + status);

    /// <summary>Half the watchdog interval systemd asked for (WATCHDOG_USEC), or null when it asked for none.</summary>
    public static TimeSpan? WatchdogPeriodFromEnvironment()
    {
        string? usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        string? pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (pid is not null && pid != Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return null;
        }

        return long.TryParse(usec, out long micro) && micro > 0 ? TimeSpan.FromMicroseconds(micro / 2.0) : null;
    }

    private void Send(string state)
    {
        if (!_notifier.IsEnabled)
        {
            return;
        }

        try
        {
            _notifier.Notify(new ServiceState(state));
        }
        catch (System.Net.Sockets.SocketException)
        {
            // Like sd_notify: a notification nobody receives is not nfluad's failure.
        }
    }

    private static long MonotonicMicroseconds() => (long)(System.Diagnostics.Stopwatch.GetTimestamp() * (1_000_000.0 / System.Diagnostics.Stopwatch.Frequency));
}
