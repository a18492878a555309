using System.Globalization;
using System.Text;
using NfLua.Cli.Output;

namespace NfLua.Cli.Offline;

/// <summary>The readable form of a <see cref="CaptureTestReport"/>: one line per record, then the totals.</summary>
internal static class CaptureTestText
{
    public static void Write(CaptureTestReport report, TextWriter output)
    {
        var table = new TextTable("#", "PACKET", "VERDICT", "NOTE").AlignRight(0);
        foreach (PacketResult packet in report.Packets)
        {
            table.Add(Numbers.Plain(packet.Index), packet.Description, VerdictOf(packet), NoteOf(packet));
        }

        table.WriteTo(output);
        output.WriteLine();

        CaptureTestSummary s = report.Summary;
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{s.Records} records, {s.Filtered} filtered: ");
        var verdicts = new List<string>();
        AddCount(verdicts, s.Pass, "pass");
        AddCount(verdicts, s.Accept, "accept");
        AddCount(verdicts, s.Drop, "drop");
        AddCount(verdicts, s.Repeat, "repeat");
        AddCount(verdicts, s.Stop, "stop");
        AddCount(verdicts, s.Queue, "queue");
        line.Append(verdicts.Count == 0 ? "none" : string.Join(", ", verdicts));
        line.Append(CultureInfo.InvariantCulture, $"; {s.Skipped} skipped ({s.SkippedNotIP} not IP); {s.Failures} rule failures");
        if (s.Modified > 0)
        {
            line.Append(CultureInfo.InvariantCulture, $"; {s.Modified} modified");
        }

        output.WriteLine(line.ToString());
        if (s.CutShort is string cut)
        {
            output.WriteLine($"the capture is cut short: {cut} (not tested)");
        }

        if (s.MeanCallNanoseconds is long mean && s.MaxCallNanoseconds is long max)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"time per call: mean {Numbers.Nanoseconds(mean)}, max {Numbers.Nanoseconds(max)} (#{s.MaxCallPacket}), measured here after a warm-up; live calls can cost more (a cold state, a busy machine): nflua-ctl stats shows them"));
        }
    }

    private static void AddCount(List<string> parts, int count, string word)
    {
        if (count > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{count} {word}"));
        }
    }

    private static string VerdictOf(PacketResult packet) => packet.Verdict switch
    {
        null => "-",
        "queue" => string.Create(CultureInfo.InvariantCulture, $"queue {packet.Queue}"),
        { } verdict => verdict,
    };

    private static string NoteOf(PacketResult packet)
    {
        var notes = new List<string>();
        if (packet.Mark is uint mark)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"mark 0x{mark:x}"));
        }

        if (packet.Modified)
        {
            notes.Add("modified");
        }

        if (packet.Failure is { } failure)
        {
            notes.Add($"rule failed ({failure}): {packet.Error}");
        }

        foreach (PacketLog log in packet.Logs ?? [])
        {
            notes.Add($"log {log.Level}: {log.Message}");
        }

        foreach (System.Text.Json.JsonElement alert in packet.Alerts ?? [])
        {
            string fields = alert.TryGetProperty("fields", out System.Text.Json.JsonElement f)
                ? string.Concat(f.EnumerateObject().Select(p => $" {p.Name}={(p.Value.ValueKind == System.Text.Json.JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}"))
                : "";
            notes.Add($"alert: {alert.GetProperty("message").GetString()}{fields}");
        }

        return string.Join("; ", notes);
    }
}
