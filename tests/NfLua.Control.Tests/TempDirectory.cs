namespace NfLua.Control.Tests;

/// <summary>A fresh directory under /tmp, removed on dispose. Short paths: a Unix socket path is at most 107 bytes.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("nflua-ctl-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a socket still being closed is not worth failing a test over.
        }
    }
}
