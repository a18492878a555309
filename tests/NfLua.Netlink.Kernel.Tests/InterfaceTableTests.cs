using System.Diagnostics;
using System.Text;

namespace NfLua.Netlink.Kernel.Tests;

/// <summary>InterfaceTable follows the kernel's links: names at open, new links, renames and removals as they happen.</summary>
public sealed class InterfaceTableTests
{
    public InterfaceTableTests() => Preconditions.Check();

    [Fact]
    public void Table_FollowsLinksAddedRenamedAndRemoved()
    {
        Assert.Equal(0, InterfaceTable.Open(out InterfaceTable? table));
        using (table)
        {
            Assert.Equal("lo", Encoding.UTF8.GetString(table!.Name(1)));
            long version = table.Version;
            try
            {
                Ip("link", "add", "nfl-meta0", "type", "veth", "peer", "name", "nfl-peer0");
                uint index = IndexOf("nfl-meta0");
                Until(() => table.NameText(index) == "nfl-meta0", "the new link's name");
                Assert.True(table.Version > version);

                version = table.Version;
                Ip("link", "set", "dev", "nfl-meta0", "name", "nfl-meta1");
                Until(() => table.NameText(index) == "nfl-meta1", "the renamed link's new name");
                Assert.True(table.Version > version);

                Ip("link", "del", "nfl-meta1");
                Until(() => table.NameText(index) is null, "the removed link to be forgotten");
            }
            finally
            {
                ProcessRunner.Run("ip", ["link", "del", "nfl-meta0"]);
                ProcessRunner.Run("ip", ["link", "del", "nfl-meta1"]);
            }
        }
    }

    // (/sys/class/net shows the namespace sysfs was mounted in, not this one: ask ip.)
    private static uint IndexOf(string name)
    {
        ProcessResult shown = ProcessRunner.Run("ip", ["-o", "link", "show", "dev", name]);
        Assert.True(shown.ExitCode == 0, shown.StdErr);
        return uint.Parse(shown.StdOut[..shown.StdOut.IndexOf(':', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Ip(params string[] args)
    {
        ProcessResult result = ProcessRunner.Run("ip", args);
        Assert.True(result.ExitCode == 0, $"ip {string.Join(' ', args)}: {result.StdErr}");
    }

    private static void Until(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"timed out waiting for {what}");
            Thread.Sleep(10);
        }
    }
}
