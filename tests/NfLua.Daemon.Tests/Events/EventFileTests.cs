using NfLua.Daemon.Events;

namespace NfLua.Daemon.Tests.Events;

/// <summary>The event log's file: rotated by size, keeping N files, reopened after logrotate renamed it.</summary>
public sealed class EventFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nflua-events-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void PastMaxSize_TheFileIsRotated_AndOnlyKeepFilesStay()
    {
        string path = Path.Combine(_directory, "events.json");
        using (var file = new EventFile(path, maxSize: 100, keep: 2))
        {
            for (int i = 0; i < 10; i++)
            {
                file.Append($"{{\"n\":{i},\"pad\":\"{new string('x', 30)}\"}}"); // 42 bytes a line: two per file
            }
        }

        Assert.Equal(["events.json", "events.json.1", "events.json.2"], Directory.GetFiles(_directory).Select(Path.GetFileName).Order());
        Assert.All(Directory.GetFiles(_directory), f => Assert.True(new FileInfo(f).Length <= 100));
        // The newest two lines in the file, the two before in .1, the two before those in .2; the oldest gone.
        Assert.Equal([8, 9], Numbers(path));
        Assert.Equal([6, 7], Numbers(path + ".1"));
        Assert.Equal([4, 5], Numbers(path + ".2"));
    }

    [Fact]
    public void AfterARenameAndReopen_NothingIsLostOrDuplicated()
    {
        string path = Path.Combine(_directory, "events.json");
        using var file = new EventFile(path, maxSize: 1 << 20, keep: 1);
        file.Append("{\"n\":0}");
        file.Append("{\"n\":1}");
        file.Flush();
        File.Move(path, path + ".rotated");          // logrotate
        file.Append("{\"n\":2}");                    // before the SIGHUP: still the renamed file
        file.Reopen();                               // SIGHUP
        file.Append("{\"n\":3}");
        file.Flush();

        Assert.Equal([0, 1, 2], Numbers(path + ".rotated"));
        Assert.Equal([3], Numbers(path));
    }

    private static List<int> Numbers(string path) =>
        [.. File.ReadAllLines(path).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("n").GetInt32())];
}
