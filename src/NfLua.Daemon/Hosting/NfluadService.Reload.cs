using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using NfLua.Daemon.Configuration;

namespace NfLua.Daemon.Hosting;

/// <content>Reloading the configuration: on SIGHUP and on a control request, one at a time.</content>
internal sealed partial class NfluadService
{
    private readonly Lock _reloadLock = new();
    private PosixSignalRegistration? _sighup;

    /// <summary>Re-reads the configuration and applies it whole, or changes nothing and says why.</summary>
    public ReloadOutcome Reload()
    {
        lock (_reloadLock)
        {
            notifier.Reloading();
            try
            {
                ConfigResult loaded = configuration.Read();
                if (loaded.Config is { } config)
                {
                    UseEventSettings(config);
                }

                ReloadOutcome outcome = changes.Reload(loaded);
                foreach (string error in outcome.Errors)
                {
                    ReloadRefused(logger, error);
                }

                if (outcome.Summary is not null)
                {
                    logLevel.Level = configuration.Current.LogLevel;
                }

                return outcome;
            }
            finally
            {
                notifier.Ready("reloaded");
            }
        }
    }

    private void ListenForReloads() =>
        _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            _events?.Reopen(); // logrotate renamed the event log: the next event starts the file again
            ThreadPool.QueueUserWorkItem(_ => Reload());
        });
}
