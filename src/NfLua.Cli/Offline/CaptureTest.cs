using System.Diagnostics;
using System.Text;
using System.Text.Json;
using NfLua.Packets.Capture;
using NfLua.Scripting;
using NfLua.Scripting.Messages;

namespace NfLua.Cli.Offline;

/// <summary>Runs a rule script on every IP packet of a capture with the daemon's engine and limits: the same
/// <see cref="LuaRule"/> sandbox, the same limits and the same failure verdicts, one packet after another as a queue
/// worker would, with no daemon and no privileges.</summary>
internal static class CaptureTest
{
    private const int WarmUpPackets = 64;

    /// <summary>Runs the test.</summary>
    /// <returns>The report, or a message (naming the file, and for scripts the line) when an input is unreadable or invalid.</returns>
    public static (CaptureTestReport? Report, string? Error) Run(string scriptPath, string capturePath, RuleLimits limits, RuleEnvironment environment, CaptureInterfaces interfaces)
    {
        byte[] script;
        try
        {
            script = File.ReadAllBytes(scriptPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot read the script {scriptPath}: {ex.Message}");
        }

        // Read the whole capture first: a corrupt record fails the run before any verdict is printed. A file that ends
        // inside its last record (a capture stopped or copied while it was written) is read up to there.
        List<CaptureRecord> records;
        string? cutShort;
        try
        {
            CaptureReader reader = CaptureReader.OpenFile(capturePath);
            records = [.. reader.ReadRecords()];
            cutShort = reader.CutShort;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot read the capture {capturePath}: {ex.Message}");
        }
        catch (CaptureFormatException ex)
        {
            return (null, ex.Message);
        }

        LuaRule rule;
        try
        {
            rule = LuaRule.Compile(Path.GetFileNameWithoutExtension(scriptPath), script, scriptPath, limits, environment: environment);
            rule.Messages.TimeFromPacket = true;
        }
        catch (RuleCompileException ex)
        {
            return (null, ex.Message);
        }

        WarmUp(script, scriptPath, limits, environment, records, interfaces);
        using (rule)
        {
            var results = new List<PacketResult>(records.Count);
            var times = new CallTimes();
            foreach (CaptureRecord record in records)
            {
                results.Add(record.IsSkipped ? PacketDescriber.Skipped(record) : Filter(rule, record, interfaces.MetaOf(record), times));
            }

            return (new CaptureTestReport(
                scriptPath,
                capturePath,
                limits.MaxInstructions,
                limits.MaxMemoryBytes,
                limits.OnError == ErrorVerdict.Drop ? "drop" : "accept",
                (long)limits.MaxCallTime.TotalMilliseconds,
                results,
                Summarize(results, times, cutShort)), null);
        }
    }

    /// <summary>Runs a throwaway copy of the rule on the first packets, so that the times reported are the rule's and not
    /// those of .NET compiling the engine's code on its first calls (milliseconds, against microseconds for a rule).</summary>
    private static void WarmUp(byte[] script, string scriptPath, RuleLimits limits, RuleEnvironment environment, List<CaptureRecord> records, CaptureInterfaces interfaces)
    {
        using LuaRule copy = LuaRule.Compile(Path.GetFileNameWithoutExtension(scriptPath), script, scriptPath, limits, environment: environment);
        foreach (CaptureRecord record in records.Where(r => !r.IsSkipped).Take(WarmUpPackets))
        {
            FilterResult result = copy.Filter(record.Packet.ToArray(), record.TimestampNanoseconds / 1_000_000, interfaces.MetaOf(record));
            copy.EndPacket(Accepted(result));
        }
    }

    private static PacketResult Filter(LuaRule rule, in CaptureRecord record, in PacketMeta meta, CallTimes times)
    {
        // The rule may rewrite the packet: give it its own copy, as the daemon gives it the kernel's.
        byte[] packet = record.Packet.ToArray();
        PacketResult described = PacketDescriber.Describe(record.Index, packet);
        if (rule.Interest is { } interest && !interest.Admits(packet))
        {
            // As in a queue: a packet the rule declared no interest in passes without a call.
            rule.EndPacket(accepted: true);
            return described with { Verdict = VerdictText.Verdict(FilterVerdict.Pass) };
        }

        // nflua.now() is the packet's capture time, so rules with time windows behave as they did live.
        long started = Stopwatch.GetTimestamp();
        FilterResult result = rule.Filter(packet, record.TimestampNanoseconds / 1_000_000, meta);
        times.Add(record.Index, Stopwatch.GetElapsedTime(started));
        rule.EndPacket(Accepted(result)); // offline the rule is the whole queue: a pass is accepted
        (List<PacketLog>? logs, List<JsonElement>? alerts) = Messages(rule);
        return described with
        {
            Logs = logs,
            Alerts = alerts,
            Verdict = VerdictText.Verdict(result.Verdict),
            Queue = result.Verdict == FilterVerdict.Queue ? result.QueueNumber : null,
            Mark = result.Mark,
            Modified = result.Modified,
            Failure = VerdictText.Failure(result.Failure),
            Error = result.Error,
        };
    }

    private static bool Accepted(in FilterResult result) => result.Verdict is FilterVerdict.Pass or FilterVerdict.Accept;
    /// <summary>What the rule said on the packet just filtered: its log lines and alerts (failures are the packet's own fields).</summary>
    private static (List<PacketLog>? Logs, List<JsonElement>? Alerts) Messages(LuaRule rule)
    {
        List<PacketLog>? logs = null;
        List<JsonElement>? alerts = null;
        RuleMessageRing ring = rule.Messages.Ring;
        while (ring.Peek() is { } message)
        {
            if (message.Kind == RuleMessageKind.Log)
            {
                (logs ??= []).Add(new PacketLog(RuleMessageJson.LevelName(message.Level), Encoding.UTF8.GetString(message.Message)));
            }
            else if (message.Kind == RuleMessageKind.Alert)
            {
                using JsonDocument alert = JsonDocument.Parse(RuleMessageJson.ToJson(message));
                (alerts ??= []).Add(alert.RootElement.Clone());
            }

            ring.Release();
        }

        return (logs, alerts);
    }

    private static CaptureTestSummary Summarize(List<PacketResult> results, CallTimes times, string? cutShort) => new(
        Records: results.Count,
        Filtered: results.Count(r => r.Verdict is not null),
        Skipped: results.Count(r => r.Skipped is not null),
        SkippedNotIP: results.Count(r => r.Skipped == "not-ip"),
        Pass: results.Count(r => r.Verdict == "pass"),
        Accept: results.Count(r => r.Verdict == "accept"),
        Drop: results.Count(r => r.Verdict is "drop" or "reject"), // a reject is a drop with a reply
        Repeat: results.Count(r => r.Verdict == "repeat"),
        Stop: results.Count(r => r.Verdict == "stop"),
        Queue: results.Count(r => r.Verdict == "queue"),
        Failures: results.Count(r => r.Failure is not null),
        Modified: results.Count(r => r.Modified),
        MeanCallNanoseconds: times.MeanNanoseconds,
        MaxCallNanoseconds: times.Count == 0 ? null : times.MaxNanoseconds,
        MaxCallPacket: times.Count == 0 ? null : times.MaxPacket,
        CutShort: cutShort);
}
