namespace NfLua.Lua.Native.Tests;

internal static class RepoPaths
{
    /// <summary>The repository's root: the nearest folder above the test binaries holding NfLua.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string NativeDir => Path.Combine(Root, "src", "NfLua.Lua.Native", "native");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NfLua.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no NfLua.sln above {AppContext.BaseDirectory}");
    }
}
