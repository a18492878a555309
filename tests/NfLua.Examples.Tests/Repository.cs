namespace NfLua.Examples.Tests;

/// <summary>Paths in the repository, found by walking up from the test binary to NfLua.sln.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Examples => Path.Combine(Root, "examples");

    public static string Example(string name) => Path.Combine(Examples, name);

    /// <summary>
    /// The nflua-ctl built with this test project (the project reference builds it first), in the same configuration and
    /// target framework: bin/Release/net10.0 when CI builds in Release.
    /// </summary>
    public static string NfluaCtl { get; } = FindNfluaCtl();

    private static string FindNfluaCtl()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        string framework = output.Name;
        string configuration = output.Parent?.Name ?? "Release";
        return Path.Combine(Root, "src", "NfLua.Cli", "bin", configuration, framework, "nflua-ctl");
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NfLua.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no NfLua.sln above {AppContext.BaseDirectory}");
    }
}
