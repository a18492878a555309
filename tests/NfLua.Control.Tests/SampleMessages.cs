namespace NfLua.Control.Tests;

/// <summary>One filled-in example of every request and result.</summary>
internal static class SampleMessages
{
    public static RuleInfo Rule { get; } = new("ssh-guard", 3, 1, 100_000, 4_194_304, RuleFailureVerdict.Drop, "rules/ssh.lua");

    public static KernelQueueCounters Kernel { get; } = new(2, 10, 11, 12345);

    public static ControlCommand[] Commands { get; } =
    [
        new LoadRequest("ssh-guard", "function filter(pkt) return true end", 3, "rules/ssh.lua", 100_000, 4_194_304, RuleFailureVerdict.Drop),
        new LoadRequest("minimal", "function filter(pkt) return false end", 0),
        new LoadRequest("for-now", "function filter(pkt) return false end", 1, NoPersist: true),
        new UnloadRequest("ssh-guard"),
        new ListRequest(),
        new ListRequest(7),
        new StatsRequest(),
        new StatsRequest(3),
        new StatusRequest(),
        new ReloadRequest(),
    ];

    public static (ControlOp Op, ControlResult Result)[] Results { get; } =
    [
        (ControlOp.Load, new LoadResult(Rule, Replaced: true)),
        (ControlOp.Load, new LoadResult(Rule with { Origin = "nflua-ctl, runtime only" }, Replaced: true, MovedFrom: [0, 2], RuntimeOnly: true, Note: "the configuration defines rule ssh-guard")),
        (ControlOp.Unload, new UnloadResult("ssh-guard", 3)),
        (ControlOp.Unload, new UnloadResult("range", 0, [0, 1, 2, 3])),
        (ControlOp.List, new ListResult([Rule, Rule with { Name = "second", Position = 2, ScriptPath = null }])),
        (ControlOp.Stats, new StatsResult([new QueueStats(3, 100, 90, 9, 1, 20, Kernel)], [new RuleStats("ssh-guard", 3, 100, 91, 8, 1, 0, 123_456, 9_999)])),
        (ControlOp.Status, new StatusResult("0.1.0", 4242, 3600,
            [new QueueStatus(3, true, 1024, 65535, true, false, true, true, Kernel), new QueueStatus(4, false, 0, 0, false, false, false, false)],
            "/etc/nflua/nfluad.lua", new RuntimeStatus(1_000_000, 5, 2, 1, 40_000_000, 3_000_000))),
        (ControlOp.Reload, new ReloadResult(2, 1)),
        (ControlOp.Reload, new ReloadResult(3, 4, "/etc/nflua/nfluad.lua", [5, 6], [2], ["queue 7: held"], ["queue 1: maxlen, cpu"])),
        (ControlOp.Status, new StatusResult("0.1.0", 4242, 3600,
            [new QueueStatus(3, true, 1024, 65535, true, false, true, true, Kernel, null, 1, "maxlen", 2500, "hostile")])),
    ];
}
