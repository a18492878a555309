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
    /// A path ending in <c>.pcapng</c> gets a pcapng capture: one interface per name the cases give (in the order they
    /// first appear; an unnamed one for cases without), each packet with its direction (<see cref="ExampleCase.In"/>,
    /// <see cref="ExampleCase.Out"/>), times in nanoseconds.
    /// </summary>
    /// <exception cref="ArgumentException">A case's time is earlier than the packet before it, or a case names an interface and the capture is not pcapng.</exception>
    public static string WriteCapture(string path, IEnumerable<ExampleCase> cases, CaptureLinkType linkType = CaptureLinkType.Raw)
    {
        using FileStream file = File.Create(path);
        if (path.EndsWith(".pcapng", StringComparison.Ordinal))
        {
            var pcapng = new PcapNgWriter(file);
            var interfaces = new Dictionary<string, int>(StringComparer.Ordinal);
            WriteTimed(cases, (@case, time) =>
            {
                string name = @case.Interface ?? "";
                if (!interfaces.TryGetValue(name, out int id))
                {
                    id = pcapng.AddInterface(linkType, timestampResolution: 9, name: @case.Interface);
                    interfaces.Add(name, id);
                }

                pcapng.WritePacket(id, @case.Packet, @case.Direction, (ulong)time);
            });
        }
        else
        {
            var pcap = new PcapWriter(file, linkType);
            WriteTimed(cases, (@case, time) =>
            {
                if (@case.Interface is not null)
                {
                    throw new ArgumentException($"{@case.Name}: a pcap capture cannot say the interface {@case.Interface}: write a .pcapng", nameof(cases));
                }

                pcap.WritePacket(@case.Packet, time);
            });
        }

        return path;
    }

    /// <summary>Calls <paramref name="write"/> with each case and its capture time in nanoseconds (see <see cref="WriteCapture"/>).</summary>
    private static void WriteTimed(IEnumerable<ExampleCase> cases, Action<ExampleCase, long> write)
    {
        // A fixed start (2025-01-01T00:00:00Z) keeps generated captures identical from one run to the next.
        const long StartNanoseconds = 1_735_689_600L * 1_000_000_000L;
        const long Millisecond = 1_000_000;
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

            write(@case, time);
            previous = time;
            index++;
        }
    }

    /// <summary>nflua-ctl test SCRIPT CAPTURE [OPTIONS] --json: every record's verdict, in capture order.</summary>
    /// <param name="script">The rule.</param>
    /// <param name="capture">The capture.</param>
    /// <param name="options">More options of nflua-ctl test: --hook, --uid, --set, --param, --params...</param>
    public static IReadOnlyList<PacketVerdict> Test(string script, string capture, params IEnumerable<string> options)
    {
        ProcessResult run = Run(script, capture, [.. options, "--json"]);
        Assert.True(run.ExitCode == 0, $"nflua-ctl test {script} {capture} {string.Join(' ', options)} exited with {run.ExitCode}: {run.StdErr}");
        Assert.True(File.Exists(Repository.NfluaCtl), $"{Repository.NfluaCtl} is missing: build the solution first");

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

    /// <summary>nflua-ctl test SCRIPT CAPTURE OPTIONS, whatever its exit code.</summary>
    public static ProcessResult Run(string script, string capture, params IEnumerable<string> options)
    {
        Assert.True(File.Exists(Repository.NfluaCtl), $"{Repository.NfluaCtl} is missing: build the solution first");
        // The instruction limit (the daemon's) is the rule's deterministic bound; the wall-clock limit is raised from
        // the daemon's 20 ms so a test process descheduled on a busy CI machine does not cut a call short.
        return ProcessRunner.Run(Repository.NfluaCtl, ["test", script, capture, "--max-call-time", "5000", .. options]);
    }

    private static string? Text(JsonElement packet, string name) =>
        packet.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
