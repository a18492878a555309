namespace NfLua.Daemon.Tests;

/// <summary>The checkout the tests were built in.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NfLua.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("no NfLua.sln above " + AppContext.BaseDirectory);
    }
}
