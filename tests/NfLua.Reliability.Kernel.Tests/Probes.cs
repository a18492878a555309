using System.Diagnostics;
using System.Globalization;
using NfLua.Control;
using NfLua.Daemon.Kernel.Tests;

namespace NfLua.Reliability.Kernel.Tests;

/// <summary>What the tests read from a running nfluad: its pid, resident memory, counters; and waiting helpers.</summary>
internal static class Probes
{
    /// <summary>nfluad's pid, as its status answer gives it.</summary>
    public static async Task<int> PidAsync(DaemonProcess daemon) =>
        ((StatusResult)(await daemon.ControlAsync(new StatusRequest())).Result!).ProcessId;

    /// <summary>Resident memory (VmRSS) of a process, in KiB.</summary>
    public static long RssKiB(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"no VmRSS for pid {pid}");
    }

    public static async Task<StatsResult> StatsAsync(DaemonProcess daemon)
    {
        ControlResponse response = await daemon.ControlAsync(new StatsRequest());
        Assert.True(response.IsOk, response.Error?.Message);
        return (StatsResult)response.Result!;
    }

    public static async Task<StatusResult> StatusAsync(DaemonProcess daemon)
    {
        ControlResponse response = await daemon.ControlAsync(new StatusRequest());
        Assert.True(response.IsOk, response.Error?.Message);
        return (StatusResult)response.Result!;
    }

    public static async Task<QueueStats> QueueStatsAsync(DaemonProcess daemon, ushort queue) =>
        (await StatsAsync(daemon)).Queues.Single(q => q.Queue == queue);

    public static async Task LoadAsync(DaemonProcess daemon, string name, string script, ushort queue, RuleFailureVerdict? onError = null)
    {
        ControlResponse load = await daemon.ControlAsync(new LoadRequest(name, script, queue, name + ".lua", OnError: onError));
        Assert.True(load.IsOk, $"load {name}: {load.Error?.Message}");
    }

    public static async Task UnloadAsync(DaemonProcess daemon, string name)
    {
        ControlResponse unload = await daemon.ControlAsync(new UnloadRequest(name));
        Assert.True(unload.IsOk, $"unload {name}: {unload.Error?.Message}");
    }

    /// <summary>Runs nflua-ctl against the daemon's socket.</summary>
    public static (int ExitCode, string StdOut, string StdErr) Ctl(DaemonProcess daemon, params string[] args) =>
        KernelEnvironment.Run(KernelEnvironment.NfluaCtl, ["--socket", daemon.SocketPath, .. args]);

    public static bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(20);
        }

        return condition();
    }

    /// <summary>
    /// A measured figure: written to the test's output and, when NFLUA_RELIABILITY_FIGURES names a file, appended
    /// to it (scripts/soak and docs/reliability.md use it).
    /// </summary>
    public static void Figure(string name, string value)
    {
        string line = $"figure {name}: {value}";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        if (Environment.GetEnvironmentVariable("NFLUA_RELIABILITY_FIGURES") is { Length: > 0 } path)
        {
            File.AppendAllText(path, line + Environment.NewLine);
        }
    }
}
