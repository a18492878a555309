using NfLua.Control;

namespace NfLua.Cli.Daemon;

/// <summary>Words for protocol values in tables.</summary>
internal static class RuleText
{
    public static string OnError(RuleFailureVerdict verdict) => verdict == RuleFailureVerdict.Drop ? "drop" : "accept";

    /// <summary>"queue 7", "queues 0-3".</summary>
    public static string Queues(IEnumerable<int> queues) => QueueRanges.Describe(queues);
}
