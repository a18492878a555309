namespace NfLua.Cli.Tests;

/// <summary>Files of the repository, found by walking up from the test binary to NfLua.sln.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Example(string name) => Path.Combine(Root, "examples", name);

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
