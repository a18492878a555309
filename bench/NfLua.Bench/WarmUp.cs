using System.Diagnostics;

namespace NfLua.Bench;

/// <summary>
/// Runs a case before it is measured, by count and by time: tiered compilation promotes hot methods only after a
/// quiet period with no new tier-0 code (100 ms by default), on a background thread that competes for the one
/// pinned CPU. A count alone left the first cases measured at tier 0 (parse 229 ns against 48 ns fully optimised).
/// </summary>
internal static class WarmUp
{
    private static readonly TimeSpan s_minimum = TimeSpan.FromSeconds(1.5);

    public static void Run(Action once, int minimumCalls)
    {
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < minimumCalls || Stopwatch.GetElapsedTime(started) < s_minimum; i++)
        {
            once();
        }
    }
}
