using System.Text;
using NfLua.Packets.Sets;

namespace NfLua.Packets.Tests.Sets;

/// <summary>Set files: entries with comments, errors with file and line, all or nothing, a memory limit.</summary>
public sealed class SetBuilderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nflua-sets-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void File_WithCommentsAndBlankLines_LoadsItsEntries()
    {
        string path = Write("nets.txt", "# bad networks\n\n10.0.0.0/8   # RFC 1918\n  192.0.2.1  \n2001:db8::/32\n");
        var builder = new SetBuilder("nets", SetKind.Cidr, 1 << 20);
        builder.AddFile(path, "lists/nets.txt");
        IMatchSet? set = builder.Build();

        Assert.Empty(builder.Errors);
        Assert.NotNull(set);
        Assert.Equal(3, set.Count);
        Assert.True(set.Contains("10.1.2.3"u8));
        Assert.True(set.Contains("192.0.2.1"u8));
        Assert.False(set.Contains("192.0.2.2"u8));
    }

    [Fact]
    public void File_WithBadLines_BuildsNothing_AndNamesEachLine()
    {
        string path = Write("names.txt", "example.com\nbad..name\nok.org\n*.wild.net\n");
        var builder = new SetBuilder("names", SetKind.Domain, 1 << 20);
        builder.AddFile(path, "lists/names.txt");

        Assert.Null(builder.Build());
        Assert.Equal(2, builder.Errors.Count);
        Assert.StartsWith("lists/names.txt:2: ", builder.Errors[0], StringComparison.Ordinal);
        Assert.StartsWith("lists/names.txt:4: ", builder.Errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void ManyBadLines_StopTheReadingAfterTen()
    {
        string path = Write("bad.txt", string.Concat(Enumerable.Repeat("not-a-network\n", 25)));
        var builder = new SetBuilder("bad", SetKind.Cidr, 1 << 20);
        builder.AddFile(path, "bad.txt");

        Assert.Null(builder.Build());
        Assert.Equal(SetBuilder.MaxErrors + 1, builder.Errors.Count);
        Assert.StartsWith("bad.txt:10: ", builder.Errors[^2], StringComparison.Ordinal);
        Assert.Contains("not read further", builder.Errors[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void CrLfLines_AndALastLineWithoutNewline_AreRead()
    {
        string path = Write("crlf.txt", "a.example\r\nb.example");
        var builder = new SetBuilder("crlf", SetKind.Domain, 1 << 20);
        builder.AddFile(path, "crlf.txt");

        IMatchSet set = builder.Build()!;
        Assert.True(set.Contains("a.example"u8) && set.Contains("b.example"u8));
    }

    [Fact]
    public void SetOverItsMemoryLimit_StopsReadingAndBuildsNothing()
    {
        string path = Write("big.txt", string.Concat(Enumerable.Range(0, 100_000).Select(i => $"host{i}.example.com\n")));
        var builder = new SetBuilder("big", SetKind.Domain, 64 * 1024);
        builder.AddFile(path, "big.txt");

        Assert.Null(builder.Build());
        Assert.Contains("over its limit of 65536", Assert.Single(builder.Errors), StringComparison.Ordinal);
        Assert.True(builder.Count < 5000, "reading went on past the limit");
    }

    [Fact]
    public void StringSet_KeepsHashesAndSpacesInsideEntries()
    {
        string path = Write("agents.txt", "# user agents\nEvil Bot #1\n");
        var builder = new SetBuilder("agents", SetKind.Exact, 1 << 20);
        builder.AddFile(path, "agents.txt");

        Assert.True(builder.Build()!.Contains("Evil Bot #1"u8));
    }

    [Fact]
    public void NotUtf8_IsAnErrorWithTheLine()
    {
        string path = Path.Combine(_dir, "latin1.txt");
        File.WriteAllBytes(path, [.. "example.com\n"u8, 0x63, 0x61, 0x66, 0xE9, 0x0A]);
        var builder = new SetBuilder("l", SetKind.Domain, 1 << 20);
        builder.AddFile(path, "latin1.txt");

        Assert.Null(builder.Build());
        Assert.Equal("latin1.txt:2: not UTF-8 text", Assert.Single(builder.Errors));
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text, Encoding.UTF8);
        return path;
    }
}
