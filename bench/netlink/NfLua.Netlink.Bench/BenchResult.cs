using System.Globalization;

namespace NfLua.Netlink.Bench;

/// <summary>One run's figures, printed as the RESULT line the runner parses (same keys as the C reference).</summary>
internal sealed record BenchResult(
    long Packets,
    double Seconds,
    double UserSeconds,
    double SystemSeconds,
    long Receives,
    long FlushFailures,
    double RunQueueWaitSeconds,
    NfQueueStatistics Statistics)
{
    public string Format() => string.Create(
        CultureInfo.InvariantCulture,
        $"RESULT impl=nflua packets={Packets} seconds={Seconds:F6} pps={(Seconds > 0 ? Packets / Seconds : 0):F0} " +
        $"cpu_user={UserSeconds:F6} cpu_sys={SystemSeconds:F6} " +
        $"cpu_s_per_mpkt={(Packets > 0 ? (UserSeconds + SystemSeconds) / Packets * 1e6 : 0):F3} " +
        $"receives={Receives} avg_batch={(Receives > 0 ? (double)Packets / Receives : 0):F2} " +
        $"enobufs={Statistics.NoBufferErrors} send_errors={FlushFailures} verdict_messages={Statistics.VerdictMessages} " +
        $"verdict_errors={Statistics.VerdictErrors} malformed={Statistics.Malformed} truncated={Statistics.Truncated} " +
        $"runq_wait_s={RunQueueWaitSeconds:F6}");
}
