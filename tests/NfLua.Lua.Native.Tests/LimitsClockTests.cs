using System.Diagnostics;
using NfLua.Lua.Native;

namespace NfLua.Lua.Native.Tests;

/// <summary>
/// The clock the limits arm, time and stop calls by (native/nflua_clock.c): the CPU's invariant
/// time-stamp counter where the CPU has one, else clock_gettime; either way on CLOCK_MONOTONIC's scale.
/// </summary>
public sealed class LimitsClockTests
{
    [Fact]
    public void Clock_RunsAtTheRateOfClockMonotonic()
    {
        using var state = new LimitedLuaState(0); // the first state chooses and calibrates the clock
        long ours = LimitedLuaState.NowNanoseconds;
        long started = Stopwatch.GetTimestamp(); // CLOCK_MONOTONIC on Linux
        Thread.Sleep(200);
        long oursElapsed = LimitedLuaState.NowNanoseconds - ours;
        long monotonicElapsed = (long)Stopwatch.GetElapsedTime(started).TotalNanoseconds;

        // Within 0.1% (the calibration's own bound) plus the reads' distance from each other.
        long allowed = monotonicElapsed / 1000 + 100_000;
        Assert.True(Math.Abs(oursElapsed - monotonicElapsed) <= allowed,
            $"{LimitedLuaState.ClockSource} clock: {oursElapsed} ns against CLOCK_MONOTONIC's {monotonicElapsed} ns");
    }

    [Fact]
    public void Clock_ReadsCloseToClockMonotonic()
    {
        using var state = new LimitedLuaState(0);
        long before = (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
        long ours = LimitedLuaState.NowNanoseconds;
        long after = (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));

        // Same scale and origin: a rule's time is comparable with the host's monotonic timestamps.
        Assert.InRange(ours, before - 5_000_000, after + 5_000_000);
    }

    [Fact]
    public void Source_IsTheTimeStampCounterExactlyWhereTheCpuSaysItIsInvariant()
    {
        string expected = InvariantTsc() ? "tsc" : "monotonic";
        Assert.Equal(expected, SourceInProcess(environment: null));
        Assert.Equal(expected, LimitedLuaState.ClockSource);
    }

    [Fact]
    public void Source_CanBeForcedToClockGettime()
    {
        Assert.Equal("monotonic", SourceInProcess(environment: "monotonic"));
    }

    private static bool InvariantTsc()
    {
        if (System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
        {
            return false;
        }

        string flags = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags", StringComparison.Ordinal));
        string[] words = flags.Split([' ', '\t', ':'], StringSplitOptions.RemoveEmptyEntries);
        return words.Contains("constant_tsc") && words.Contains("nonstop_tsc");
    }

    // A fresh process loads the library and asks it (the choice is made once per process).
    private static string SourceInProcess(string? environment)
    {
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import ctypes, sys; lib = ctypes.CDLL(sys.argv[1]); lib.nflua_limits_new(); print(lib.nflua_clock_source())");
        start.ArgumentList.Add(LuaNativeLibrary.ExpectedPath);
        start.Environment.Remove("NFLUA_CLOCK");
        if (environment is not null)
        {
            start.Environment["NFLUA_CLOCK"] = environment;
        }

        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd().Trim();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return output == "1" ? "tsc" : output == "0" ? "monotonic" : throw new InvalidOperationException(output + error);
    }
}
