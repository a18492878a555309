using System.Text.Json;
using NfLua.Testing;

namespace NfLua.Packaging.Tests;

/// <summary>
/// The kernel's queue counters under the shipped unit's user (nflua, CAP_NET_ADMIN only): unreadable, and said why,
/// until the unit's ExecStartPre helper has run as root; readable after it. Part of <see cref="DebPackageTests"/>.
/// </summary>
public sealed partial class DebPackageTests
{
    [Fact]
    public void Kernel_counters_are_read_as_the_unit_runs_nfluad_once_its_helper_ran()
    {
        Assert.True(deb.Installed, "dpkg -i failed:\n" + deb.InstallOutput);
        string[] load = ["nflua-ctl load probe /usr/share/nflua/examples/ssh-banner.lua --queue 5 --no-persist", "nflua-ctl status --json"];

        string first = Work(), second = Work();
        try
        {
            JsonElement without = Status(DocumentedSession.Run(first, [DocumentedSession.Systemctl, .. load]), 2);
            string problem = without.GetProperty("kernelCountersProblem").GetString()!;
            Assert.Contains("may not be read", problem, StringComparison.Ordinal);
            Assert.Contains("/usr/lib/nflua/nflua-kernel-counters", problem, StringComparison.Ordinal);
            Assert.True(Absent(Queue5(without), "kernel"));

            JsonElement with = Status(DocumentedSession.Run(second, ["/usr/lib/nflua/nflua-kernel-counters", DocumentedSession.Systemctl, .. load]), 3);
            Assert.True(Absent(with, "kernelCountersProblem"), with.ToString());
            Assert.Equal(JsonValueKind.Object, Queue5(with).GetProperty("kernel").ValueKind);
        }
        finally
        {
            Directory.Delete(first, recursive: true);
            Directory.Delete(second, recursive: true);
        }
    }

    private static bool Absent(JsonElement e, string name) => !e.TryGetProperty(name, out JsonElement v) || v.ValueKind == JsonValueKind.Null;

    private static string Work() => Tools.TempDirectory();

    private static JsonElement Status(ProcessResult run, int index)
    {
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.StdOut}\n{run.StdErr}");
        using JsonDocument json = JsonDocument.Parse(DocumentedSession.OutputOf(run, index));
        return json.RootElement.Clone();
    }

    private static JsonElement Queue5(JsonElement status) =>
        status.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("queue").GetInt32() == 5);
}
