namespace NfLua.Netlink;

/// <summary>A verdict for one queued packet, as the 32-bit value the kernel expects.</summary>
public readonly record struct NfVerdict
{
    private const uint QueueBypassBit = 0x8000;

    private NfVerdict(uint value) => Value = value;

    /// <summary>Drops the packet.</summary>
    public static NfVerdict Drop => new((uint)NfVerdictKind.Drop);

    /// <summary>Accepts the packet; it continues with the next hook.</summary>
    public static NfVerdict Accept => new((uint)NfVerdictKind.Accept);

    /// <summary>Re-runs the hook (loops unless a rule skips packets marked by this verdict).</summary>
    public static NfVerdict Repeat => new((uint)NfVerdictKind.Repeat);

    /// <summary>Accepts without running the hook's remaining chains.</summary>
    public static NfVerdict Stop => new((uint)NfVerdictKind.Stop);

    /// <summary>The value written to NFQA_VERDICT_HDR.</summary>
    public uint Value { get; }

    /// <summary>The verdict without its queue number and flags.</summary>
    public NfVerdictKind Kind => (NfVerdictKind)(Value & 0xFF);

    /// <summary>Sends the packet to queue <paramref name="target"/>: <c>(target &lt;&lt; 16) | NF_QUEUE</c>.</summary>
    /// <param name="target">The queue number.</param>
    /// <param name="bypass">Accept instead of dropping when nothing is bound to <paramref name="target"/>.</param>
    public static NfVerdict Queue(ushort target, bool bypass = false) =>
        new(((uint)target << 16) | (bypass ? QueueBypassBit : 0) | (uint)NfVerdictKind.Queue);
}
