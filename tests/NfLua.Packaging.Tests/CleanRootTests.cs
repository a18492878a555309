using NfLua.Testing;

namespace NfLua.Packaging.Tests;

/// <summary>
/// The package on a plain Debian 12 machine that has never seen this repository: packaging/check-clean-root
/// builds a minimal bookworm root with debootstrap, installs the .deb there with apt (dependencies from Debian's
/// archive only), verifies the unit, runs the daemon and nflua-ctl inside it, and purges it.
/// </summary>
/// (Part of <see cref="DebPackageTests"/>, so it shares the one package build and install of the run.)
public sealed partial class DebPackageTests
{
    [Fact]
    public void Package_installs_verifies_runs_and_purges_on_a_clean_Debian_12_root()
    {
        Assert.True(Tools.IsRoot(), "the clean-root check needs root (debootstrap, chroot, namespaces), as CI has");
        Tools.EnsureCommand("debootstrap", "debootstrap");

        ProcessResult result = ProcessRunner.Run(
            "bash", [Path.Combine(Tools.Packaging, "check-clean-root"), "--deb", deb.DebPath], timeoutMs: 900_000);

        string output = result.StdOut + result.StdErr;
        Assert.True(result.ExitCode == 0, $"check-clean-root exited with {result.ExitCode}:\n{output}");
        foreach (string step in new[] { "1. apt-get installed", "2. user and group nflua exist", "3. systemd-analyze verify nfluad.service: clean",
                     "4. nfluad --check-config", "5. nfluad bound queue 7", "6. nflua-ctl test", "7. apt-get purge removed" })
        {
            Assert.Contains("clean-root: " + step, output, StringComparison.Ordinal);
        }

        Assert.EndsWith("clean-root: OK (" + Path.GetFileName(deb.DebPath) + " on a clean Debian 12 root)", result.StdOut.TrimEnd(), StringComparison.Ordinal);
    }
}
