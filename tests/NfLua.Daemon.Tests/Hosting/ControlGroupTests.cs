using NfLua.Daemon.Hosting;

namespace NfLua.Daemon.Tests.Hosting;

/// <summary>The control socket's group is looked up through NSS (getgrnam_r), as the system's own tools do.</summary>
public sealed class ControlGroupTests
{
    [Fact]
    public void AGroupThatExists_GivesItsGid()
    {
        // Whatever the machine's NSS sources are, they agree with getent, which reads them the same way.
        string getent = NfLua.Testing.ProcessRunner.Run("getent", ["group", "root"]).StdOut;
        uint expected = uint.Parse(getent.Split(':')[2], System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(expected, ControlGroup.Resolve("root"));
        Assert.Null(ControlGroup.Resolve(null)); // no group configured: root only
    }

    [Fact]
    public void AGroupThatDoesNotExist_StopsTheStart_WithItsName()
    {
        StartupException refused = Assert.Throws<StartupException>(() => ControlGroup.Resolve("nflua-no-such-group"));

        Assert.Contains("no group is called 'nflua-no-such-group'", refused.Message, StringComparison.Ordinal);
    }
}
