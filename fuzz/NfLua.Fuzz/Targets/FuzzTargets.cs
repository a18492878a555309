using NfLua.Fuzz.Engine;

namespace NfLua.Fuzz.Targets;

/// <summary>Every target, by name, in the order <c>all</c> runs them.</summary>
internal static class FuzzTargets
{
    public static IReadOnlyList<string> Names { get; } = ["netlink", "packets", "data", "control", "config", "capture"];

    public static IFuzzTarget Create(string name) => name switch
    {
        "netlink" => new NetlinkTarget(),
        "packets" => new PacketsTarget(),
        "data" => new DataModuleTarget(),
        "control" => new ControlTarget(),
        "config" => new ConfigTarget(),
        "capture" => new CaptureTarget(),
        _ => throw new ArgumentException($"unknown target '{name}' (targets: {string.Join(", ", Names)}, all)", nameof(name)),
    };
}
