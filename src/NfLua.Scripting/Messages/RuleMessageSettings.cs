namespace NfLua.Scripting.Messages;

/// <summary>
/// How much a rule may say: each rule has a bucket of <see cref="Burst"/> messages refilled at <see cref="Rate"/> per
/// second for <c>nflua.log</c>, one for <c>nflua.alert</c>, and one for its failure events; accepted messages wait in a
/// ring of <see cref="RingCapacity"/> entries until the host takes them.
/// </summary>
/// <param name="Rate">Messages per second, per rule and channel (0: only the burst, ever).</param>
/// <param name="Burst">Messages at once, per rule and channel (0: none).</param>
/// <param name="RingCapacity">Entries waiting per rule (rounded up to a power of two); more are dropped and counted.</param>
public sealed record RuleMessageSettings(int Rate = RuleMessageSettings.DefaultRate, int Burst = RuleMessageSettings.DefaultBurst, int RingCapacity = RuleMessageSettings.DefaultRingCapacity)
{
    /// <summary>Default messages per second per rule and channel.</summary>
    public const int DefaultRate = 20;

    /// <summary>Default burst per rule and channel.</summary>
    public const int DefaultBurst = 100;

    /// <summary>Default ring size per rule.</summary>
    public const int DefaultRingCapacity = 1024;

    /// <summary>The defaults.</summary>
    public static RuleMessageSettings Default { get; } = new();
}
