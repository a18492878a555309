namespace NfLua.Fuzz.Tests;

/// <summary>The kept inputs: fuzz/corpus/&lt;target&gt;/* (seeds) and fuzz/regressions/&lt;target&gt;/* (reproducers).</summary>
internal static class CorpusFiles
{
    public static string Root { get; } = FindRoot();

    public static string Corpus => Path.Combine(Root, "fuzz", "corpus");

    public static string Regressions => Path.Combine(Root, "fuzz", "regressions");

    /// <summary>Every kept file as (target, path relative to the repository).</summary>
    public static TheoryData<string, string> All()
    {
        var data = new TheoryData<string, string>();
        foreach (string directory in new[] { Corpus, Regressions })
        {
            foreach (string targetDirectory in Directory.GetDirectories(directory).Order(StringComparer.Ordinal))
            {
                foreach (string file in Directory.GetFiles(targetDirectory).Order(StringComparer.Ordinal))
                {
                    data.Add(Path.GetFileName(targetDirectory), Path.GetRelativePath(Root, file));
                }
            }
        }

        return data;
    }

    public static byte[] Read(string relativePath) => File.ReadAllBytes(Path.Combine(Root, relativePath));

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
