using Microsoft.Extensions.Logging;

namespace NfLua.Daemon.Hosting;

/// <content>The daemon's own log lines.</content>
internal sealed partial class NfluadService
{
    [LoggerMessage(EventId = LogEventIds.InterfaceNamesUnavailable, Level = LogLevel.Warning,
        Message = "interface names are not available to rules (the kernel's link table could not be read: errno {Errno}); nflua.meta(pkt).indev and outdev read nil, ifindex_in and ifindex_out still work")]
    private static partial void InterfaceNamesUnavailable(ILogger logger, int errno);

    [LoggerMessage(EventId = LogEventIds.Ready, Level = LogLevel.Information, Message = "nfluad is ready: {Status}")]
    private static partial void Ready(ILogger logger, string status);

    [LoggerMessage(EventId = LogEventIds.Stopped, Level = LogLevel.Information, Message = "nfluad stopped: every queue drained and unbound")]
    private static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = LogEventIds.QueueTotals, Level = LogLevel.Information, Message = "queue {Queue}: {Packets} packets, {Accepted} accepted, {Dropped} dropped, {Batches} batches, {ReceiveErrors} receive errors")]
    private static partial void QueueTotals(ILogger logger, ushort queue, long packets, long accepted, long dropped, long batches, long receiveErrors);

    [LoggerMessage(EventId = LogEventIds.RuleTotals, Level = LogLevel.Information, Message = "queue {Queue} rule {Rule}: {Calls} calls, {Passed} passed, {Dropped} dropped, {Failures} failures, {MeanMicroseconds:F1} us per call")]
    private static partial void RuleTotals(ILogger logger, ushort queue, string rule, long calls, long passed, long dropped, long failures, double meanMicroseconds);

    [LoggerMessage(EventId = LogEventIds.ReloadRefused, Level = LogLevel.Error, Message = "reload refused, the running rules stay: {Error}")]
    private static partial void ReloadRefused(ILogger logger, string error);
}
