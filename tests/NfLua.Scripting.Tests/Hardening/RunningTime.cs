using System.Diagnostics;

namespace NfLua.Scripting.Tests.Hardening;

/// <summary>
/// How long the calling thread took over some work, not counting the time it waited on a run queue
/// for a CPU (the kernel's per-thread schedstat): what the code itself cost, page faults included,
/// without the noise of other processes on a busy machine.
/// </summary>
internal readonly struct RunningTime
{
    private readonly long _started;
    private readonly long _waitedBefore;

    private RunningTime(long started, long waited)
    {
        _started = started;
        _waitedBefore = waited;
    }

    public static RunningTime Start() => new(Stopwatch.GetTimestamp(), RunQueueWaitNs());

    /// <summary>Wall-clock time since <see cref="Start"/>, less the time spent waiting for a CPU.</summary>
    public TimeSpan Elapsed(out TimeSpan wall)
    {
        wall = Stopwatch.GetElapsedTime(_started);
        long waited = RunQueueWaitNs() - _waitedBefore;
        return wall - TimeSpan.FromTicks(waited / 100);
    }

    /// <summary>The second field of /proc/thread-self/schedstat: nanoseconds this thread spent runnable but not running.</summary>
    private static long RunQueueWaitNs()
    {
        string[] fields = File.ReadAllText("/proc/thread-self/schedstat").Split(' ');
        return long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
