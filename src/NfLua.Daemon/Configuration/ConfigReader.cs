using Microsoft.Extensions.Logging;
using NLua;
using NfLua.Engine;
using NfLua.Scripting;

namespace NfLua.Daemon.Configuration;

/// <summary>Turns the entries recorded by config-prelude.lua into a <see cref="DaemonConfig"/>, collecting every error.</summary>
internal sealed partial class ConfigReader(string baseDirectory, string path)
{
    private static readonly HashSet<string> s_controlKeys = ["socket", "mode", "group"];
    private static readonly HashSet<string> s_limitKeys =
        ["max_instructions", "max_memory", "max_call_time_ms", "on_error", "max_flows", "compile_instructions", "compile_time_ms"];
    private static readonly HashSet<string> s_queueKeys = ["number", "first", "last", "maxlen", "copy_range", "fail_open", "rcvbuf", "cpu", "reject_mark", "rules"];
    private static readonly HashSet<string> s_ruleKeys = ["name", "script", "params", "mode", .. s_limitKeys];
    private static readonly HashSet<string> s_setKeys = ["name", "kind", "file", "max_memory"];
    private static readonly HashSet<string> s_moduleKeys = ["name", "file"];
    private static readonly HashSet<string> s_loggingKeys = ["level"];
    private static readonly HashSet<string> s_watchdogKeys = ["stuck_after_ms"];
    private static readonly HashSet<string> s_metricsKeys = ["file", "interval_s"];
    private static readonly HashSet<string> s_eventsKeys = ["file", "max_size", "keep", "rate", "burst"];

    public List<string> Errors { get; } = [];

    public DaemonConfig Read(LuaTable? entries)
    {
        var config = new DaemonConfig { Source = path };
        if (entries is null)
        {
            Errors.Add($"{path}: the configuration prelude did not run");
            return config;
        }

        var queues = new List<QueueConfig>();
        var pendingQueues = new List<Entry>();
        var sets = new List<SetConfig>();
        var modules = new List<ModuleConfig>();
        foreach (Entry entry in Entries(entries))
        {
            switch (entry.Kind)
            {
                case "control":
                    config = config with { Control = ReadControl(entry) };
                    break;
                case "logging":
                    config = config with { LogLevel = ReadLogLevel(entry) };
                    break;
                case "defaults":
                    CheckKeys(entry, s_limitKeys);
                    config = config with { DefaultLimits = ReadLimits(entry, new RuleLimits()) };
                    break;
                case "watchdog":
                    config = config with { StuckAfter = ReadStuckAfter(entry) };
                    break;
                case "metrics":
                    config = config with { Metrics = ReadMetrics(entry) };
                    break;
                case "events":
                    config = config with { Events = ReadEvents(entry) };
                    break;
                case "queue":
                    pendingQueues.Add(entry);
                    break;
                case "set":
                    if (ReadSet(entry) is { } set)
                    {
                        sets.Add(set);
                    }

                    break;
                case "module":
                    if (ReadModule(entry) is { } module)
                    {
                        modules.Add(module);
                    }

                    break;
                default:
                    Errors.Add($"{entry.Where}: '{entry.Kind}' is not allowed here (rules go inside a queue)");
                    break;
            }
        }

        // Queues last: their rules inherit the defaults wherever those are written.
        foreach (Entry entry in pendingQueues)
        {
            queues.AddRange(ReadQueues(entry, config.DefaultLimits));
        }

        foreach (var duplicate in queues.GroupBy(q => q.Number).Where(g => g.Count() > 1))
        {
            Errors.Add($"{path}: queue {duplicate.Key} is configured more than once");
        }

        foreach (var duplicate in sets.GroupBy(s => s.Name).Where(g => g.Count() > 1))
        {
            Errors.Add($"{duplicate.Last().DeclaredAt}: set '{duplicate.Key}' is already defined at {duplicate.First().DeclaredAt}");
        }

        foreach (var duplicate in modules.GroupBy(m => m.Name).Where(g => g.Count() > 1))
        {
            Errors.Add($"{duplicate.Last().DeclaredAt}: module '{duplicate.Key}' is already defined at {duplicate.First().DeclaredAt}");
        }

        // A rule is one name with a set of queues: the same name written twice would be two rules.
        config = config with { Queues = queues, Sets = sets, Modules = modules };
        foreach (var duplicate in config.Rules.GroupBy(r => r.Name).Where(g => g.Count() > 1))
        {
            Errors.Add($"{duplicate.Last().DeclaredAt}: rule '{duplicate.Key}' is already defined at {duplicate.First().DeclaredAt} "
                + "(a rule is one name on a set of queues: give a range of queues to one queue { }, or another name)");
        }

        return config;
    }

    private ControlConfig ReadControl(Entry entry)
    {
        CheckKeys(entry, s_controlKeys);
        var control = new ControlConfig();
        if (entry.Table["socket"] is { } socket)
        {
            control = socket is string s && s.StartsWith('/') ? control with { SocketPath = s }
                : Error(entry, "socket must be an absolute path", control);
        }

        if (entry.Table["mode"] is { } mode)
        {
            // Owner and group bits only: the socket is never for everyone.
            control = mode is string m && m.Length is 3 or 4 && m.All(c => c is >= '0' and <= '7') && (Convert.ToInt32(m, 8) & 0x7) == 0
                ? control with { Mode = (UnixFileMode)Convert.ToInt32(m, 8) }
                : Error(entry, "mode must be an octal string without permissions for others, such as \"0660\"", control);
        }

        if (entry.Table["group"] is { } group)
        {
            control = group is string g && g.Length > 0 ? control with { Group = g } : Error(entry, "group must be a group name", control);
        }

        return control;
    }

    private LogLevel ReadLogLevel(Entry entry)
    {
        CheckKeys(entry, s_loggingKeys);
        object? level = entry.Table["level"];
        if (level is string s && Enum.TryParse(s, ignoreCase: true, out LogLevel parsed))
        {
            return parsed;
        }

        return Error(entry, "level must be one of trace, debug, information, warning, error, critical", LogLevel.Information);
    }

    private IEnumerable<QueueConfig> ReadQueues(Entry entry, RuleLimits defaults)
    {
        CheckKeys(entry, s_queueKeys, allowArray: true);
        LuaTable t = entry.Table;
        // queue { 0, rule { ... } } names its number first; queue { first = 0, last = 3, rule { ... } } starts with a rule.
        object? number = t["number"] ?? (t[1L] is LuaTable ? null : t[1L]);
        int first, last;
        if (number is not null)
        {
            first = last = Integer(entry, number, "number", 0, 65535, 0);
            if (t["first"] is not null || t["last"] is not null)
            {
                Errors.Add($"{entry.Where}: a queue has either a number or first and last, not both");
            }
        }
        else if (t["first"] is not null && t["last"] is not null)
        {
            first = Integer(entry, t["first"], "first", 0, 65535, 0);
            last = Integer(entry, t["last"], "last", 0, 65535, 0);
            if (last < first || last - first >= 64)
            {
                Errors.Add($"{entry.Where}: queues {first} to {last}: last must be at or after first, at most 64 queues");
                last = first;
            }
        }
        else
        {
            Errors.Add($"{entry.Where}: a queue needs a number (queue {{ 0, ... }}) or first and last");
            yield break;
        }

        int maxLength = t["maxlen"] is { } m ? Integer(entry, m, "maxlen", 1, 1 << 20, QueueConfig.DefaultMaxLength) : QueueConfig.DefaultMaxLength;
        int copyRange = t["copy_range"] is { } c ? Integer(entry, c, "copy_range", 0, 65535, 65535) : 65535;
        bool failOpen = t["fail_open"] is { } f && Boolean(entry, f, "fail_open");
        int? rcvbuf = t["rcvbuf"] is { } r ? Integer(entry, r, "rcvbuf", 65536, 1 << 30, 1 << 20) : null;
        List<int> cpus = t["cpu"] is { } cpu ? Cpus(entry, cpu) : [];
        uint rejectMark = t["reject_mark"] is { } rm ? (uint)Integer(entry, rm, "reject_mark", 1L, uint.MaxValue, 0L) : 0;
        ushort[] numbers = [.. Enumerable.Range(first, last - first + 1).Select(n => (ushort)n)];
        var rules = new List<RuleConfig>();
        foreach (object value in ArrayPart(t).Skip(number is not null && t["number"] is null ? 1 : 0))
        {
            if (value is LuaTable ruleEntry && IsRuleRecord(ruleEntry))
            {
                rules.Add(ReadRule(new Entry(ruleEntry), defaults, numbers));
            }
            else
            {
                Errors.Add($"{entry.Where}: a queue lists its rules as rule {{ ... }} calls (its number, if any, comes first)");
            }
        }

        foreach (ushort n in numbers)
        {
            yield return new QueueConfig
            {
                Number = n,
                MaxLength = maxLength,
                CopyRange = copyRange,
                FailOpen = failOpen,
                RejectMark = rejectMark,
                ReceiveBufferBytes = rcvbuf,
                Cpu = cpus.Count > 0 ? cpus[(n - first) % cpus.Count] : null,
                Rules = rules,
            };
        }
    }

    private RuleConfig ReadRule(Entry entry, RuleLimits defaults, IReadOnlyList<ushort> queues)
    {
        CheckKeys(entry, s_ruleKeys, allowArray: true);
        string name = entry.Table["name"] as string ?? entry.Table[1L] as string ?? "";
        if (!RuleNames.IsValid(name))
        {
            Errors.Add($"{entry.Where}: a rule needs a name ({RuleNames.Rule})");
        }

        string script = entry.Table["script"] as string ?? "";
        if (script.Length == 0)
        {
            Errors.Add($"{entry.Where}: rule '{name}' needs script = \"path/to/rule.lua\"");
        }
        else if (script.Contains('\0', StringComparison.Ordinal))
        {
            // Lua strings may hold NUL; paths cannot (Path.GetFullPath would throw).
            Errors.Add($"{entry.Where}: rule '{name}': the script path holds a NUL character");
            script = "";
        }

        string fullPath = script.Length == 0 ? "" : Path.GetFullPath(Path.Combine(baseDirectory, script));
        RuleParams? parameters = entry.Table["params"] is { } p ? ReadParams(entry, name, p) : null;
        bool monitor = entry.Table["mode"] switch
        {
            null or "enforce" => false,
            "monitor" => true,
            _ => Error(entry, $"rule '{name}': mode must be \"enforce\" (the default) or \"monitor\"", false),
        };
        return new RuleConfig(name, fullPath, ReadLimits(entry, defaults), entry.Where, queues, parameters, monitor);
    }

    /// <summary>file = "..." (relative to the configuration file), or null and an error.</summary>
    private string? FilePath(Entry entry, string what, string example)
    {
        string file = entry.Table["file"] as string ?? "";
        if (file.Length == 0 || file.Contains('\0', StringComparison.Ordinal))
        {
            return Error<string?>(entry, $"{what} needs file = \"{example}\" (relative to this file)", null);
        }

        return Path.GetFullPath(Path.Combine(baseDirectory, file));
    }

    private RuleLimits ReadLimits(Entry entry, RuleLimits limits)
    {
        LuaTable t = entry.Table;
        if (t["max_instructions"] is { } i)
        {
            limits = limits with { MaxInstructions = Integer(entry, i, "max_instructions", RuleLimits.InstructionRange, RuleLimits.DefaultMaxInstructions) };
        }

        if (t["max_memory"] is { } m)
        {
            limits = limits with { MaxMemoryBytes = Integer(entry, m, "max_memory", RuleLimits.MemoryRange, RuleLimits.DefaultMaxMemoryBytes) };
        }

        if (t["max_call_time_ms"] is { } ms)
        {
            limits = limits with { MaxCallTime = TimeSpan.FromMilliseconds(Integer(entry, ms, "max_call_time_ms", RuleLimits.CallTimeMsRange, (long)RuleLimits.DefaultMaxCallTime.TotalMilliseconds)) };
        }

        if (t["max_flows"] is { } flows)
        {
            limits = limits with { MaxFlows = (int)Integer(entry, flows, "max_flows", RuleLimits.FlowRange, RuleLimits.DefaultMaxFlows) };
        }

        if (t["compile_instructions"] is { } ci)
        {
            limits = limits with { MaxCompileInstructions = Integer(entry, ci, "compile_instructions", RuleLimits.InstructionRange, RuleLimits.DefaultMaxInstructions * RuleLimits.CompileBudgetFactor) };
        }

        if (t["compile_time_ms"] is { } ct)
        {
            limits = limits with { MaxCompileTime = TimeSpan.FromMilliseconds(Integer(entry, ct, "compile_time_ms", RuleLimits.CompileTimeMsRange, (long)RuleLimits.DefaultMaxCompileTime.TotalMilliseconds)) };
        }

        if (t["on_error"] is { } onError)
        {
            limits = ErrorVerdicts.TryParse(onError as string, out ErrorVerdict verdict)
                ? limits with { OnError = verdict }
                : Error(entry, "on_error must be \"accept\" or \"drop\"", limits);
        }

        return limits;
    }

    /// <summary>metrics { file = "...", interval_s = N }: the counters in Prometheus' text format, every N seconds (15 by default).</summary>
    private MetricsConfig? ReadMetrics(Entry entry)
    {
        CheckKeys(entry, s_metricsKeys);
        string? file = FilePath(entry, "metrics", "/run/nflua/nflua.prom");
        long seconds = entry.Table["interval_s"] is { } s
            ? Integer(entry, s, "interval_s", DaemonConfig.MetricsIntervalRange, 15)
            : 15;
        return file is null ? null : new MetricsConfig(file, TimeSpan.FromSeconds(seconds));
    }

    /// <summary>events { file = "...", max_size = BYTES, keep = N, rate = N, burst = N }: the event log and the rules' message limits.</summary>
    private EventsConfig ReadEvents(Entry entry)
    {
        CheckKeys(entry, s_eventsKeys);
        LuaTable t = entry.Table;
        string? file = t["file"] is null ? null : FilePath(entry, "events", "/var/log/nflua/events.json");
        var events = new EventsConfig(file);
        if (t["max_size"] is { } size)
        {
            events = events with { MaxSize = Integer(entry, size, "max_size", EventsConfig.MaxSizeRange, EventsConfig.DefaultMaxSize) };
        }

        if (t["keep"] is { } keep)
        {
            events = events with { Keep = (int)Integer(entry, keep, "keep", EventsConfig.KeepRange, EventsConfig.DefaultKeep) };
        }

        if (t["rate"] is { } rate)
        {
            events = events with { Rate = (int)Integer(entry, rate, "rate", EventsConfig.RateRange, Scripting.Messages.RuleMessageSettings.DefaultRate) };
        }

        if (t["burst"] is { } burst)
        {
            events = events with { Burst = (int)Integer(entry, burst, "burst", EventsConfig.RateRange, Scripting.Messages.RuleMessageSettings.DefaultBurst) };
        }

        return events;
    }

    /// <summary>watchdog { stuck_after_ms = N }: how long one packet may hold a queue's worker before it is reported stuck.</summary>
    private TimeSpan? ReadStuckAfter(Entry entry)
    {
        CheckKeys(entry, s_watchdogKeys);
        return entry.Table["stuck_after_ms"] is { } ms
            ? TimeSpan.FromMilliseconds(Integer(entry, ms, "stuck_after_ms", DaemonConfig.StuckAfterMsRange, 1000))
            : null;
    }

    private int Integer(Entry entry, object value, string key, int min, int max, int fallback) =>
        (int)Integer(entry, value, key, (long)min, max, fallback);

    private long Integer(Entry entry, object value, string key, LimitRange range, long fallback) =>
        Integer(entry, value, key, range.Min, range.Max, fallback);

    private long Integer(Entry entry, object value, string key, long min, long max, long fallback)
    {
        long? number = value switch
        {
            long l => l,
            double d when d == Math.Floor(d) => (long)d,
            _ => null,
        };
        if (number is { } n && n >= min && n <= max)
        {
            return n;
        }

        Errors.Add($"{entry.Where}: {key} must be an integer from {min} to {max}");
        return fallback;
    }

    /// <summary>
    /// cpu = N, or cpu = { N, M, ... } for a range of queues (the first queue gets the first CPU, and so on, round
    /// robin): each a CPU this process may run on.
    /// </summary>
    private List<int> Cpus(Entry entry, object value)
    {
        List<object> listed = value is LuaTable list ? [.. ArrayPart(list)] : [value];
        if (listed.Count == 0 || (value is LuaTable l && l.Keys.Count != listed.Count))
        {
            return Error(entry, "cpu must be a CPU number or a list of them, such as cpu = 2 or cpu = { 0, 1 }", new List<int>());
        }

        IReadOnlyList<int>? allowed = Interop.CpuAffinity.Allowed();
        var cpus = new List<int>();
        foreach (object item in listed)
        {
            int cpu = Integer(entry, item, "cpu", 0, Interop.CpuAffinity.MaxCpu, -1);
            if (cpu >= 0 && allowed is not null && !allowed.Contains(cpu))
            {
                Errors.Add($"{entry.Where}: cpu {cpu} is not one nfluad may run on (allowed: {Interop.CpuAffinity.Describe(allowed)})");
            }
            else if (cpu >= 0)
            {
                cpus.Add(cpu);
            }
        }

        return cpus;
    }

    private bool Boolean(Entry entry, object value, string key) =>
        value is bool b ? b : Error(entry, $"{key} must be true or false", false);

    private T Error<T>(Entry entry, string message, T fallback)
    {
        Errors.Add($"{entry.Where}: {message}");
        return fallback;
    }

    private void CheckKeys(Entry entry, HashSet<string> known, bool allowArray = false)
    {
        foreach (object key in entry.Table.Keys)
        {
            if (key is string s && !known.Contains(s))
            {
                Errors.Add($"{entry.Where}: unknown setting '{s}' in {entry.Kind} (known: {string.Join(", ", known.Order())})");
            }
            else if (key is not string && !(allowArray && key is long))
            {
                Errors.Add($"{entry.Where}: {entry.Kind} takes named settings");
            }
        }
    }

    /// <summary>
    /// True for what <c>rule { ... }</c> returns. A queue's array holds any values the file wrote, and a plain table
    /// such as <c>{ kind = "rule", value = 5 }</c> is not a rule.
    /// </summary>
    private static bool IsRuleRecord(LuaTable t) =>
        t["kind"] is "rule" && t["value"] is LuaTable && t["file"] is string && t["line"] is long;

    private static IEnumerable<object> ArrayPart(LuaTable t)
    {
        for (long i = 1; t[i] is { } value; i++)
        {
            yield return value;
        }
    }

    private static IEnumerable<Entry> Entries(LuaTable entries) =>
        ArrayPart(entries).OfType<LuaTable>().Select(e => new Entry(e));

    /// <summary>One call recorded by the prelude: kind, where it was written, and its table.</summary>
    private readonly struct Entry(LuaTable recorded)
    {
        public string Kind => recorded["kind"] as string ?? "?";

        public string Where => $"{recorded["file"]}:{recorded["line"]}";

        public LuaTable Table => (LuaTable)recorded["value"];
    }
}
