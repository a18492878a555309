using System.Text;
using Microsoft.Extensions.Logging;
using NfLua.Control.Metrics;
using NfLua.Daemon.Configuration;

namespace NfLua.Daemon.Hosting;

/// <summary>
/// Writes the counters in Prometheus' text format to <c>metrics { file }</c> every <c>interval_s</c>, for
/// node_exporter's textfile collector: written beside the file and renamed over it, so a reader sees a whole file.
/// The settings are read before every write, so a reload changes them. A write that fails is logged once (and again
/// when writing works again), never stops the daemon.
/// </summary>
internal sealed partial class MetricsFileWriter(DaemonConfiguration configuration, Func<ControlHandler> handler, ILogger logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private string? _failing;

    public void Start() => _loop = Task.Run(LoopAsync);

    /// <summary>Writes the file now; false when there is no metrics file or the write failed.</summary>
    internal bool WriteOnce()
    {
        if (configuration.Current.Metrics is not { } metrics)
        {
            return false;
        }

        string temporary = metrics.File + ".tmp";
        try
        {
            var (stats, status) = handler().Snapshot();
            var text = new StringWriter(new StringBuilder(16 * 1024));
            PrometheusText.Write(text, stats, status);
            File.WriteAllText(temporary, text.ToString());
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.Move(temporary, metrics.File, overwrite: true);
            if (_failing is not null)
            {
                WritingAgain(logger, metrics.File);
                _failing = null;
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (_failing != metrics.File)
            {
                WriteFailed(logger, metrics.File, ex.Message);
                _failing = metrics.File;
            }

            return false;
        }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TimeSpan interval = configuration.Current.Metrics?.Interval ?? TimeSpan.FromSeconds(1);
            try
            {
                await Task.Delay(interval, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            WriteOnce();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    [LoggerMessage(EventId = LogEventIds.MetricsWriteFailed, Level = LogLevel.Warning, Message = "metrics file {Path} cannot be written: {Reason} (the daemon goes on; under the packaged unit, a path outside /run/nflua needs ReadWritePaths=)")]
    private static partial void WriteFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = LogEventIds.MetricsWritten, Level = LogLevel.Information, Message = "metrics file {Path} is written again")]
    private static partial void WritingAgain(ILogger logger, string path);
}
