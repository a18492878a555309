using NfLua.Testing;

namespace NfLua.Packaging.Tests;

/// <summary>
/// Builds the .deb once per run with packaging/build-deb (which publishes first), then installs it into
/// this machine with dpkg (CI's machine is disposable, but the fixture leaves it as it found it: the
/// package is purged afterwards, and the user and group it created are removed).
/// </summary>
public sealed class DebPackageFixture : IDisposable
{
    private readonly bool _wasInstalled;
    private readonly bool _userExisted;
    private readonly bool _groupExisted;

    public DebPackageFixture()
    {
        Tools.EnsureCommand("dpkg-deb", "dpkg");
        ProcessResult build = Tools.MustRunWithTimeout(900_000, "bash", Path.Combine(Tools.Packaging, "build-deb"));
        BuildOutput = build.StdOut + build.StdErr;
        DebPath = build.StdOut.Trim().Split('\n')[^1].Trim();
        if (!File.Exists(DebPath))
        {
            throw new InvalidOperationException("build-deb did not print the package's path:\n" + BuildOutput);
        }

        HasCli = File.Exists(Path.Combine(Tools.Repo, "dist", "nflua-ctl"));
        Contents = Tools.MustRun("dpkg-deb", "--contents", DebPath).StdOut;

        _wasInstalled = Tools.Run("bash", "-c", "dpkg-query -W -f='${Status}' nflua 2>/dev/null | grep -q 'ok installed'").ExitCode == 0;
        _userExisted = Tools.Run("getent", "passwd", "nflua").ExitCode == 0;
        _groupExisted = Tools.Run("getent", "group", "nflua").ExitCode == 0;
        ProcessResult install = Dpkg("-i", DebPath);
        InstallOutput = install.StdOut + install.StdErr;
        Installed = install.ExitCode == 0;
    }

    public string DebPath { get; }

    public string BuildOutput { get; }

    public bool HasCli { get; }

    /// <summary>dpkg-deb --contents.</summary>
    public string Contents { get; }

    public bool Installed { get; }

    public string InstallOutput { get; }

    public void Dispose()
    {
        if (!_wasInstalled)
        {
            Dpkg("--purge", "nflua");
            if (!_userExisted)
            {
                Tools.Run("userdel", "nflua");
            }

            if (!_groupExisted && Tools.Run("getent", "group", "nflua").ExitCode == 0)
            {
                Tools.Run("groupdel", "nflua");
            }
        }
    }

    /// <summary>dpkg, waiting while another package manager holds its lock.</summary>
    private static ProcessResult Dpkg(params string[] args)
    {
        var env = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        ProcessResult result = ProcessRunner.Run("dpkg", args, env, 300_000);
        for (int attempt = 0; attempt < 60 && result.ExitCode != 0 && result.StdErr.Contains("lock", StringComparison.OrdinalIgnoreCase); attempt++)
        {
            Thread.Sleep(2000);
            result = ProcessRunner.Run("dpkg", args, env, 300_000);
        }

        return result;
    }
}
