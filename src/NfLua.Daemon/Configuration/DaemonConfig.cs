using Microsoft.Extensions.Logging;
using NfLua.Scripting;

namespace NfLua.Daemon.Configuration;

/// <summary>nfluad's whole configuration: what <c>/etc/nflua/nfluad.lua</c> says, or the built-in defaults.</summary>
internal sealed record DaemonConfig
{
    /// <summary>The control socket's path when neither the configuration nor --socket names one.</summary>
    public const string DefaultSocketPath = "/run/nflua/nflua.sock";

    /// <summary>Where the configuration came from (empty for the built-in defaults).</summary>
    public string Source { get; init; } = "";

    public ControlConfig Control { get; init; } = new();

    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>Limits of rules that do not set their own.</summary>
    public RuleLimits DefaultLimits { get; init; } = new();

    public IReadOnlyList<QueueConfig> Queues { get; init; } = [];

    /// <summary>set { ... }: the named sets rules may ask for (nflua.set).</summary>
    public IReadOnlyList<SetConfig> Sets { get; init; } = [];

    /// <summary>module { ... }: the trusted modules rules may require.</summary>
    public IReadOnlyList<ModuleConfig> Modules { get; init; } = [];

    /// <summary>Every configured rule once (a rule of a range of queues is one rule on all of them).</summary>
    public IReadOnlyList<RuleConfig> Rules => [.. Queues.SelectMany(q => q.Rules).Distinct(ReferenceEqualityComparer.Instance).Cast<RuleConfig>()];

    /// <summary>
    /// watchdog { stuck_after_ms }: how long one packet may keep a queue's worker before it is reported stuck; null: ten
    /// times the time limit of the rule it is in, at least a second (docs/operations.md, "A stuck queue").
    /// </summary>
    public TimeSpan? StuckAfter { get; init; }

    /// <summary>Allowed stuck_after_ms.</summary>
    public static LimitRange StuckAfterMsRange { get; } = new(100, 3_600_000);

    /// <summary>Allowed metrics { interval_s }.</summary>
    public static LimitRange MetricsIntervalRange { get; } = new(1, 3600);

    /// <summary>metrics { file, interval_s }: where and how often the counters are written in Prometheus' text format; null: never.</summary>
    public MetricsConfig? Metrics { get; init; }

    /// <summary>events { ... }: the event log file (none: events are only kept in memory for nflua-ctl events) and the rules' message limits.</summary>
    public EventsConfig Events { get; init; } = new(null);
}

/// <summary>The control socket.</summary>
internal sealed record ControlConfig
{
    public string SocketPath { get; init; } = DaemonConfig.DefaultSocketPath;

    /// <summary>File mode of the socket: 0660 lets root and the group in (the peer's credentials are checked too).</summary>
    public UnixFileMode Mode { get; init; } = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    /// <summary>The group whose members may use the socket besides root (none: root only).</summary>
    public string? Group { get; init; }
}

/// <summary>One bound queue.</summary>
internal sealed record QueueConfig
{
    /// <summary>Default kernel queue length (packets).</summary>
    public const int DefaultMaxLength = 1024;

    public ushort Number { get; init; }

    public int MaxLength { get; init; } = DefaultMaxLength;

    public int CopyRange { get; init; } = 65535;

    /// <summary>Whether the kernel accepts packets the queue cannot hold (FAIL_OPEN) instead of dropping them.</summary>
    public bool FailOpen { get; init; }

    /// <summary>
    /// The mark a rejected packet is handed back to the kernel with (verdict repeat), for a REJECT rule before the
    /// queue's NFQUEUE rule to answer (packaging/iptables/reject.rules); 0: "reject" drops without a reply.
    /// </summary>
    public uint RejectMark { get; init; }

    /// <summary>The socket receive buffer, bytes (null: sized from the queue length).</summary>
    public int? ReceiveBufferBytes { get; init; }

    /// <summary>The CPU the queue's worker thread is kept on (null: wherever the scheduler puts it).</summary>
    public int? Cpu { get; init; }

    public IReadOnlyList<RuleConfig> Rules { get; init; } = [];
}

/// <summary>One configured rule, on the queue (or the range of queues) it was written in, with its parameters (none when null).</summary>
internal sealed record RuleConfig(string Name, string ScriptPath, RuleLimits Limits, string DeclaredAt, IReadOnlyList<ushort> Queues, RuleParams? Params = null, bool Monitor = false);

/// <summary>One named set: its kind, the file it is read from (absolute), and the memory it may take.</summary>
internal sealed record SetConfig(string Name, Packets.Sets.SetKind Kind, string FilePath, long MaxMemoryBytes, string DeclaredAt)
{
    /// <summary>Bytes a set may take when its entry does not say (max_memory).</summary>
    public const long DefaultMaxMemoryBytes = 256L * 1024 * 1024;

    /// <summary>Allowed max_memory.</summary>
    public static LimitRange MemoryRange { get; } = new(64 * 1024, 16L * 1024 * 1024 * 1024);
}

/// <summary>One trusted module: its name for require and its file (absolute).</summary>
internal sealed record ModuleConfig(string Name, string FilePath, string DeclaredAt);

/// <summary>metrics { file = "...", interval_s = 15 }: the counters written for node_exporter's textfile collector.</summary>
/// <param name="File">The file, replaced whole (written beside it, then renamed) at every interval.</param>
/// <param name="Interval">Time between two writes.</param>
internal sealed record MetricsConfig(string File, TimeSpan Interval);

/// <summary>events { file = "...", max_size = BYTES, keep = N, rate = N, burst = N }.</summary>
/// <param name="File">The JSON-lines file (absolute), or null: no file.</param>
internal sealed record EventsConfig(string? File)
{
    /// <summary>Default size at which the file is rotated.</summary>
    public const long DefaultMaxSize = 64L * 1024 * 1024;

    /// <summary>Default number of rotated files kept.</summary>
    public const int DefaultKeep = 5;

    /// <summary>Allowed max_size.</summary>
    public static LimitRange MaxSizeRange { get; } = new(4096, 1L << 40);

    /// <summary>Allowed keep.</summary>
    public static LimitRange KeepRange { get; } = new(0, 100);

    /// <summary>Allowed rate and burst.</summary>
    public static LimitRange RateRange { get; } = new(0, 1_000_000);

    /// <summary>Size (bytes) past which the file is rotated: renamed FILE.1 (FILE.1 to FILE.2, ...) and started again.</summary>
    public long MaxSize { get; init; } = DefaultMaxSize;

    /// <summary>Rotated files kept (FILE.1 to FILE.keep); 0: the file is started again, nothing kept.</summary>
    public int Keep { get; init; } = DefaultKeep;

    /// <summary>Messages per second each rule may log, alert and fail with (each channel its own bucket).</summary>
    public int Rate { get; init; } = Scripting.Messages.RuleMessageSettings.DefaultRate;

    /// <summary>Messages at once each rule may log, alert and fail with.</summary>
    public int Burst { get; init; } = Scripting.Messages.RuleMessageSettings.DefaultBurst;
}
