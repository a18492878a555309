using System.Text.Json;
using NfLua.Packets.Capture;
using NfLua.Testing;

namespace NfLua.Examples.Tests;

/// <summary>Runs the real nflua-ctl's offline test on a capture, as an operator or a rule's CI would.</summary>
internal static class NfluaCtl
{
    /// <summary>
    /// Writes the cases' packets to a pcap, one record each, a millisecond apart, except those of cases with a time
    /// (<see cref="ExampleCase.AtMilliseconds"/>), written at that many milliseconds from the first record: the rule sees
    /// the times through <c>nflua.now()</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A case's time is earlier than the packet before it.</exception>
    public static string WriteCapture(string path, IEnumerable<ExampleCase> cases, CaptureLinkType linkType = CaptureLinkType.Raw)
    {
        // A fixed start (2025-01-01T00:00:00Z) keeps generated captures identical from one run to the next.
        const long StartNanoseconds = 1_735_689_600L * 1_000_000_000L;
        const long Millisecond = 1_000_000;
        using FileStream file = File.Create(path);
        var writer = new PcapWriter(file, linkType);
        long? previous = null;
        int index = 0;
        foreach (ExampleCase @case in cases)
        {
            long time = @case.AtMilliseconds is long milliseconds
                ? StartNanoseconds + (milliseconds * Millisecond)
                : previous + Millisecond ?? StartNanoseconds;
            if (time < previous)
            {
                throw new ArgumentException(
                    $"packet #{index + 1} is at {(time - StartNanoseconds) / Millisecond} ms, before the packet before it ({(previous - StartNanoseconds) / Millisecond} ms)",
                    nameof(cases));
            }

            writer.WritePacket(@case.Packet, time);
            previous = time;
            index++;
        }

        return path;
    }

    /// <summary>nflua-ctl test SCRIPT CAPTURE --json: every record's verdict, in capture order.</summary>
    public static IReadOnlyList<PacketVerdict> Test(string script, string capture)
    {
        Assert.True(File.Exists(Repository.NfluaCtl), $"{Repository.NfluaCtl} is missing: build the solution first");
        // The instruction limit (the daemon's) is the rule's deterministic bound; the wall-clock limit is raised from
        // the daemon's 20 ms so a test process descheduled on a busy CI machine does not cut a call short.
        ProcessResult run = ProcessRunner.Run(Repository.NfluaCtl, ["test", script, capture, "--max-call-time", "5000", "--json"]);
        Assert.True(run.ExitCode == 0, $"nflua-ctl test {script} {capture} exited with {run.ExitCode}: {run.StdErr}");

        using JsonDocument report = JsonDocument.Parse(run.StdOut);
        return
        [
            .. report.RootElement.GetProperty("packets").EnumerateArray().Select(p => new PacketVerdict(
                p.GetProperty("index").GetInt32(),
                Text(p, "verdict"),
                p.TryGetProperty("mark", out JsonElement mark) && mark.ValueKind == JsonValueKind.Number ? mark.GetUInt32() : null,
                Text(p, "failure"),
                Text(p, "error"),
                Text(p, "skipped"))),
        ];
    }

    private static string? Text(JsonElement packet, string name) =>
        packet.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
