namespace NfLua.Cli.Tests;

/// <summary>A fresh directory under /tmp, removed on dispose (short: a Unix socket path is at most 107 bytes).</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("nflua-cli-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string WriteFile(string name, string text)
    {
        string path = File(name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a socket still closing is not worth failing a test over.
        }
    }
}
