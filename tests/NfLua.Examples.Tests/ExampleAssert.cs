using System.Text;
using NfLua.Packets.Capture;

namespace NfLua.Examples.Tests;

/// <summary>Runs a rule over its cases, all in one capture (so state carries from one to the next as in the daemon), and checks each verdict.</summary>
internal static class ExampleAssert
{
    /// <summary>Every case gets its verdict and mark, and none makes the rule fail.</summary>
    public static void Verdicts(string script, IReadOnlyList<ExampleCase> cases, CaptureLinkType linkType = CaptureLinkType.Raw) =>
        Verdicts(script, cases, [], linkType);

    /// <summary>
    /// Every case gets its verdict and mark under nflua-ctl test's <paramref name="options"/> (--uid, --set, --params...),
    /// and none makes the rule fail. Cases that name interfaces are written to a pcapng capture, others to a pcap.
    /// </summary>
    public static void Verdicts(string script, IReadOnlyList<ExampleCase> cases, IEnumerable<string> options, CaptureLinkType linkType = CaptureLinkType.Raw)
    {
        using var directory = new TempDirectory();
        string name = cases.Any(c => c.Interface is not null) ? "cases.pcapng" : "cases.pcap";
        string capture = NfluaCtl.WriteCapture(directory.File(name), cases, linkType);
        IReadOnlyList<PacketVerdict> verdicts = NfluaCtl.Test(script, capture, options);

        Assert.Equal(cases.Count, verdicts.Count);

        var wrong = new StringBuilder();
        for (int i = 0; i < cases.Count; i++)
        {
            ExampleCase expected = cases[i];
            PacketVerdict actual = verdicts[i];
            if (actual.Failure is not null)
            {
                wrong.AppendLine($"#{i + 1} {expected.Name}: the rule failed ({actual.Failure}): {actual.Error}");
            }
            else if (actual.Verdict != expected.Verdict || actual.Mark != expected.Mark)
            {
                wrong.AppendLine($"#{i + 1} {expected.Name}: expected {Describe(expected.Verdict, expected.Mark)}, got {Describe(actual.Verdict ?? "skipped: " + actual.Skipped, actual.Mark)}");
            }
        }

        Assert.True(wrong.Length == 0, $"{Path.GetFileName(script)}:\n{wrong}");
    }

    private static string Describe(string verdict, uint? mark) => mark is uint m ? $"{verdict} with mark 0x{m:x}" : verdict;
}
