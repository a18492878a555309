namespace NfLua.Examples.Tests;

/// <summary>Copies of an example with one setting changed, as an operator would edit it.</summary>
internal static class ExampleScript
{
    /// <summary>
    /// Writes <paramref name="example"/> (from examples/, or from <paramref name="from"/>) into
    /// <paramref name="directory"/> with the line <paramref name="setting"/> replaced by <paramref name="replacement"/>;
    /// the line must occur exactly once.
    /// </summary>
    public static string WithSetting(TempDirectory directory, string example, string setting, string replacement, string? from = null)
    {
        string text = File.ReadAllText(from is null ? Repository.Example(example) : Path.Combine(from, example));
        string[] lines = text.Split('\n');
        Assert.True(lines.Count(l => l == setting) == 1, $"{example} has no line '{setting}' (or has several)");
        string path = directory.File(example);
        File.WriteAllText(path, string.Join('\n', lines.Select(l => l == setting ? replacement : l)));
        return path;
    }
}
