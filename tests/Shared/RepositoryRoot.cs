namespace NfLua.Testing;

/// <summary>The checkout the tests were built in (the directory holding NfLua.sln above the test binary); linked from tests/Shared.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "NfLua.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("no NfLua.sln above " + AppContext.BaseDirectory);
    }
}
