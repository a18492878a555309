using NfLua.Control;

namespace NfLua.Cli.Tests;

/// <summary>Daemon answers with recognisable values.</summary>
internal static class SampleResults
{
    public static ListResult List { get; } = new(
    [
        new RuleInfo("ssh-banner", 0, 0, 1_000_000, 8L * 1024 * 1024, RuleFailureVerdict.Accept, "/etc/nflua/ssh-banner.lua"),
        new RuleInfo("rtp-h263", 1, 0, 50_000, 1024 * 1024, RuleFailureVerdict.Drop),
        new RuleInfo("late-rule", 0, 1, 2000, 65536, RuleFailureVerdict.Drop, "late.lua"),
    ]);

    public static StatsResult Stats { get; } = new(
        [new QueueStats(0, 12345, 12000, 345, 7, 99, new KernelQueueCounters(3, 41, 42, 777))],
        [new RuleStats("ssh-banner", 0, 1000, 990, 10, 2, 1, 4_000_000, 90_000)]);

    public static StatusResult Status { get; } = new(
        "1.2.3-test",
        4242,
        3 * 3600 + 5,
        [
            new QueueStatus(0, true, 1024, 65535, true, false, true, true, new KernelQueueCounters(0, 5, 6, 100), Cpu: 3),
            new QueueStatus(7, false, 2048, 128, false, true, false, false),
        ],
        "/etc/nflua/nfluad.lua",
        new RuntimeStatus(123_456_789, 11, 3, 1, 52_428_800, 4_000_000));
}
