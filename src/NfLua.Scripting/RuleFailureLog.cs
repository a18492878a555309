using Microsoft.Extensions.Logging;

namespace NfLua.Scripting;

/// <summary>
/// Logs a rule's failures at a bounded rate: the first at once, then at most one line per
/// interval, each saying how many failures it stands for. Per-packet problems never become a
/// log line per packet.
/// </summary>
internal sealed partial class RuleFailureLog(ILogger logger, string rule, TimeSpan interval)
{
    private long _nextAllowedMs;
    private long _suppressed;

    public void Report(in FilterResult result)
    {
        long now = Environment.TickCount64;
        if (now < _nextAllowedMs)
        {
            _suppressed++;
            return;
        }

        _nextAllowedMs = now + (long)interval.TotalMilliseconds;
        long suppressed = _suppressed;
        _suppressed = 0;
        RuleFailed(logger, rule, result.Failure, result.Verdict, suppressed, result.Error ?? "");
    }

    [LoggerMessage(EventId = LogEventIds.RuleFailed, Level = LogLevel.Warning,
        Message = "rule {Rule} failed ({Failure}); its packet got {Verdict}; {Suppressed} earlier failures not logged: {Error}")]
    private static partial void RuleFailed(ILogger logger, string rule, RuleFailure failure, FilterVerdict verdict, long suppressed, string error);
}
