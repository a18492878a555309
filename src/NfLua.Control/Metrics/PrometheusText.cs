using System.Globalization;
using System.Text;

namespace NfLua.Control.Metrics;

/// <summary>
/// The daemon's counters in Prometheus' text exposition format (version 0.0.4, which node_exporter's textfile
/// collector and every Prometheus server read): one <c># HELP</c> and one <c># TYPE</c> line per family, then its
/// samples. Counters end in <c>_total</c>; queue counters only go up for the daemon's lifetime, a rule's counters since
/// the rule was loaded (a replaced rule starts again from 0, which Prometheus' <c>rate()</c> takes as a reset).
/// </summary>
public static class PrometheusText
{
    /// <summary>The media type of the format, for a scraper or a file's readers.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Writes <paramref name="stats"/> and, when given, <paramref name="status"/> (version, uptime, queue settings, process figures).</summary>
    public static void Write(TextWriter output, StatsResult stats, StatusResult? status)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(stats);
        var w = new Writer(output);
        if (status is not null)
        {
            w.Family("nflua_build_info", "gauge", "the daemon's version (always 1)");
            w.Sample("nflua_build_info", [("version", status.Version)], 1);
            w.Family("nflua_uptime_seconds", "gauge", "seconds since the daemon started");
            w.Sample("nflua_uptime_seconds", [], status.UptimeSeconds);
        }

        IReadOnlyList<QueueStats> queues = [.. stats.Queues.OrderBy(q => q.Queue)];
        w.Counter(queues, "nflua_queue_packets_total", "packets the daemon received on the queue", q => q.Packets);
        w.Counter(queues, "nflua_queue_accepted_total", "packets given an accepting verdict", q => q.Accepted);
        w.Counter(queues, "nflua_queue_dropped_total", "packets given a dropping verdict", q => q.Dropped);
        w.Counter(queues, "nflua_queue_failures_total", "rule calls that failed on the queue's packets (each gave its on-error verdict), and worker faults", q => q.FailureVerdicts);
        w.Counter(queues, "nflua_queue_batches_total", "receive batches processed", q => q.Batches);
        w.Counter(queues, "nflua_queue_undelivered_total", "packets the kernel could not deliver because the daemon's receive buffer was full", q => q.Undelivered);
        w.Counter(queues, "nflua_queue_worker_allocated_bytes_total", "managed bytes the queue's worker thread allocated (0 per packet in steady state)", q => q.WorkerAllocatedBytes);

        IReadOnlyList<QueueStats> kernel = [.. queues.Where(q => q.Kernel is not null)];
        w.Gauge(kernel, "nflua_kernel_queue_waiting", "packets waiting in the kernel for a verdict", q => q.Kernel!.Waiting);
        w.Counter(kernel, "nflua_kernel_queue_dropped_total", "packets the kernel dropped (or accepted, fail-open) because the queue was full", q => q.Kernel!.QueueDropped);
        w.Counter(kernel, "nflua_kernel_queue_user_dropped_total", "packets the kernel dropped because the netlink socket's buffer was full", q => q.Kernel!.UserDropped);
        w.Gauge(queues, "nflua_kernel_counters_readable", "1 when the daemon could read the kernel's counters for the queue (/proc/net/netfilter/nfnetlink_queue)", q => q.Kernel is null ? 0 : 1);

        if (status is not null)
        {
            IReadOnlyList<QueueStatus> settings = [.. status.Queues.OrderBy(q => q.Queue)];
            w.Family("nflua_queue_bound", "gauge", "1 when the daemon is bound to the queue");
            foreach (QueueStatus q in settings)
            {
                w.Sample("nflua_queue_bound", [("queue", Number(q.Queue))], q.Bound ? 1 : 0);
            }

            w.Family("nflua_queue_max_length", "gauge", "the kernel's queue length limit, in packets");
            foreach (QueueStatus q in settings)
            {
                w.Sample("nflua_queue_max_length", [("queue", Number(q.Queue))], q.MaxLength);
            }
        }

        WriteRules(w, stats.Rules);
        if (status?.Runtime is { } runtime)
        {
            w.Family("nflua_process_resident_bytes", "gauge", "resident memory of the daemon (VmRSS)");
            w.Sample("nflua_process_resident_bytes", [], runtime.ResidentBytes);
            w.Family("nflua_process_managed_heap_bytes", "gauge", "bytes of the managed heap in use after the last collection");
            w.Sample("nflua_process_managed_heap_bytes", [], runtime.ManagedHeapBytes);
            w.Family("nflua_process_allocated_bytes_total", "counter", "managed bytes allocated since the daemon started");
            w.Sample("nflua_process_allocated_bytes_total", [], runtime.AllocatedBytes);
            w.Family("nflua_process_gc_collections_total", "counter", "garbage collections since the daemon started, by generation");
            w.Sample("nflua_process_gc_collections_total", [("generation", "0")], runtime.Gen0Collections);
            w.Sample("nflua_process_gc_collections_total", [("generation", "1")], runtime.Gen1Collections);
            w.Sample("nflua_process_gc_collections_total", [("generation", "2")], runtime.Gen2Collections);
        }
    }

    private static void WriteRules(Writer w, IReadOnlyList<RuleStats> rules)
    {
        w.Counter(rules, "nflua_rule_calls_total", "calls of the rule's filter since it was loaded", r => r.Calls);
        w.Counter(rules, "nflua_rule_passed_total", "calls that passed or accepted the packet", r => r.Passed);
        w.Counter(rules, "nflua_rule_dropped_total", "calls that dropped the packet", r => r.Dropped);
        w.Family("nflua_rule_failures_total", "counter", "failed calls, by kind: error (a script error or a bad return value) or limit (instructions, memory or time)");
        foreach (RuleStats r in rules)
        {
            w.Sample("nflua_rule_failures_total", [.. RuleLabels(r), ("kind", "error")], r.Errors);
            w.Sample("nflua_rule_failures_total", [.. RuleLabels(r), ("kind", "limit")], r.LimitsExceeded);
        }

        w.Family("nflua_rule_on_error_total", "counter", "failed calls by the verdict the rule's on-error policy gave");
        foreach (RuleStats r in rules)
        {
            w.Sample("nflua_rule_on_error_total", [.. RuleLabels(r), ("verdict", "accept")], r.AcceptedOnError);
            w.Sample("nflua_rule_on_error_total", [.. RuleLabels(r), ("verdict", "drop")], r.DroppedOnError);
        }

        w.Family("nflua_rule_messages_total", "counter", "messages the rule's limit let through, by channel: log (nflua.log) or alert (nflua.alert)");
        foreach (RuleStats r in rules)
        {
            w.Sample("nflua_rule_messages_total", [.. RuleLabels(r), ("channel", "log")], r.Logs);
            w.Sample("nflua_rule_messages_total", [.. RuleLabels(r), ("channel", "alert")], r.Alerts);
        }

        w.Family("nflua_rule_messages_suppressed_total", "counter", "messages the rule's limit refused, by channel: log or alert");
        foreach (RuleStats r in rules)
        {
            w.Sample("nflua_rule_messages_suppressed_total", [.. RuleLabels(r), ("channel", "log")], r.LogsSuppressed);
            w.Sample("nflua_rule_messages_suppressed_total", [.. RuleLabels(r), ("channel", "alert")], r.AlertsSuppressed);
        }

        w.Counter(rules, "nflua_rule_events_dropped_total", "messages let through but dropped because the rule's ring was full", r => r.EventsDropped);
        w.Counter(rules, "nflua_rule_stream_dropped_total", "packets the rule's TCP streams dropped without a call (conflicts, bytes the receiver would not take, bytes that could not be kept)", r => r.StreamDrops);
        w.Counter(rules, "nflua_rule_stream_conflicts_total", "packets dropped because their bytes differed from bytes the stream held", r => r.StreamConflicts);
        w.Counter(rules, "nflua_rule_sticky_verdicts_total", "packets given a sticky flow verdict without a call", r => r.StickyVerdicts);
        w.Gauge(rules, "nflua_rule_stream_flows", "flows the rule's stream tracker follows", r => r.StreamFlows);
        w.Gauge(rules, "nflua_rule_stream_bytes", "bytes the rule's stream tracker holds", r => r.StreamBytes);
        w.Gauge(rules, "nflua_rule_monitor", "1 when the rule is in monitor mode (its counts are what it would have done, not applied)", r => r.Mode == "monitor" ? 1 : 0);
        w.Gauge(rules, "nflua_rule_call_max_seconds", "the longest single call since the rule was loaded", r => r.MaxNanoseconds / 1e9);

        // The daemon's buckets: [0, 1 us), [2^(i-1), 2^i) us for i = 1..20, and [2^20 us, inf). A call of exactly a
        // bound's time lands in the next bucket, where Prometheus' le would count it in this one: a difference of one
        // clock tick at the edge.
        w.Family("nflua_rule_call_seconds", "histogram", "time per call of the rule's filter");
        foreach (RuleStats r in rules.Where(r => r.CallTimeHistogram is { Count: > 0 }))
        {
            IReadOnlyList<long> buckets = r.CallTimeHistogram!;
            long cumulative = 0;
            for (int i = 0; i < buckets.Count - 1; i++)
            {
                cumulative += buckets[i];
                string bound = ((1L << i) / 1e6).ToString("0.######", CultureInfo.InvariantCulture); // 0.000001 ... 0.524288
                w.Sample("nflua_rule_call_seconds_bucket", [.. RuleLabels(r), ("le", bound)], cumulative);
            }

            cumulative += buckets[^1];
            w.Sample("nflua_rule_call_seconds_bucket", [.. RuleLabels(r), ("le", "+Inf")], cumulative);
            w.Sample("nflua_rule_call_seconds_sum", RuleLabels(r), r.TotalNanoseconds / 1e9);
            w.Sample("nflua_rule_call_seconds_count", RuleLabels(r), cumulative);
        }
    }

    private static (string, string)[] RuleLabels(RuleStats r) => [("queue", Number(r.Queue)), ("rule", r.Name)];

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    private sealed class Writer(TextWriter output)
    {
        public void Family(string name, string type, string help)
        {
            output.Write("# HELP ");
            output.Write(name);
            output.Write(' ');
            output.Write(EscapeHelp(help));
            output.Write('\n');
            output.Write("# TYPE ");
            output.Write(name);
            output.Write(' ');
            output.Write(type);
            output.Write('\n');
        }

        public void Counter(IReadOnlyList<QueueStats> queues, string name, string help, Func<QueueStats, long> value) =>
            Each(queues, name, "counter", help, q => [("queue", Number(q.Queue))], q => value(q));

        public void Gauge(IReadOnlyList<QueueStats> queues, string name, string help, Func<QueueStats, long> value) =>
            Each(queues, name, "gauge", help, q => [("queue", Number(q.Queue))], q => value(q));

        public void Counter(IReadOnlyList<RuleStats> rules, string name, string help, Func<RuleStats, long> value) =>
            Each(rules, name, "counter", help, RuleLabels, r => value(r));

        public void Gauge(IReadOnlyList<RuleStats> rules, string name, string help, Func<RuleStats, double> value) =>
            Each(rules, name, "gauge", help, RuleLabels, value);

        private void Each<T>(IReadOnlyList<T> items, string name, string type, string help, Func<T, (string, string)[]> labels, Func<T, double> value)
        {
            Family(name, type, help);
            foreach (T item in items)
            {
                Sample(name, labels(item), value(item));
            }
        }

        public void Sample(string name, (string Name, string Value)[] labels, double value)
        {
            output.Write(name);
            if (labels.Length > 0)
            {
                output.Write('{');
                for (int i = 0; i < labels.Length; i++)
                {
                    if (i > 0)
                    {
                        output.Write(',');
                    }

                    output.Write(labels[i].Name);
                    output.Write("=\"");
                    output.Write(EscapeLabel(labels[i].Value));
                    output.Write('"');
                }

                output.Write('}');
            }

            output.Write(' ');
            output.Write(value.ToString("R", CultureInfo.InvariantCulture));
            output.Write('\n');
        }
    }

    private static string EscapeLabel(string value)
    {
        if (value.AsSpan().IndexOfAny("\\\"\n") < 0)
        {
            return value;
        }

        var b = new StringBuilder(value.Length + 8);
        foreach (char c in value)
        {
            b.Append(c switch { '\\' => "\\\\", '"' => "\\\"", '\n' => "\\n", _ => c.ToString() });
        }

        return b.ToString();
    }

    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
