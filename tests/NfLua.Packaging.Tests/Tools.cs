using NfLua.Testing;
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]



namespace NfLua.Packaging.Tests;

/// <summary>Paths of the repository and small helpers to run the tools the packaging tests use.</summary>
internal static class Tools
{
    public static string Repo { get; } = FindRepo();

    public static string Packaging => Path.Combine(Repo, "packaging");

    /// <summary>packaging/ for theory data (computed before any test runs).</summary>
    public static string FindPackagingForData() => Packaging;

    /// <summary>NfLua's one version, Directory.Build.props's &lt;Version&gt; (build-deb reads the same line).</summary>
    public static string Version { get; } = System.Text.RegularExpressions.Regex.Match(
        File.ReadAllText(Path.Combine(Repo, "Directory.Build.props")), @"<Version>([^<]+)</Version>").Groups[1].Value;

    /// <summary>Runs FILE and fails the test, showing what it printed, unless it exits with 0.</summary>
    public static ProcessResult MustRun(string file, params string[] args) => MustRunWithTimeout(120_000, file, args);

    public static ProcessResult MustRunWithTimeout(int timeoutMs, string file, params string[] args)
    {
        ProcessResult result = ProcessRunner.Run(file, args, timeoutMs: timeoutMs);
        Assert.True(result.ExitCode == 0,
            $"{file} {string.Join(' ', args)} exited with {result.ExitCode}\nstdout:\n{result.StdOut}\nstderr:\n{result.StdErr}");
        return result;
    }

    public static ProcessResult Run(string file, params string[] args) => ProcessRunner.Run(file, args);

    public static bool HasCommand(string name) =>
        ProcessRunner.Run("bash", ["-c", $"command -v {name}"]).ExitCode == 0;

    /// <summary>Installs Debian packages the tests need when their command is missing (CI runs as root).</summary>
    public static void EnsureCommand(string command, string package)
    {
        if (HasCommand(command))
        {
            return;
        }

        MustRunWithTimeout(600_000, "bash", "-c",
            $"export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq --no-install-recommends {package}");
        Assert.True(HasCommand(command), $"{command} is still missing after installing {package}");
    }

    public static string TempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nflua-packaging-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static bool IsRoot() => ProcessRunner.Run("id", ["-u"]).StdOut.Trim() == "0";

    private static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NfLua.sln")) && Directory.Exists(Path.Combine(dir.FullName, "packaging")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository (NfLua.sln and packaging/) above " + AppContext.BaseDirectory);
    }
}
