namespace NfLua.Daemon.Hosting;

/// <summary>What nfluad tells its service manager (systemd's sd_notify); tests record it instead.</summary>
internal interface IServiceNotifier
{
    void Ready(string status);

    void Reloading();

    void Stopping();

    void Watchdog();

    void Status(string status);
}
