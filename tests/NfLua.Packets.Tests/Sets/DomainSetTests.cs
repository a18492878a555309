using System.Text;
using NfLua.Packets.Sets;

namespace NfLua.Packets.Tests.Sets;

/// <summary>DomainSet and StringSet answer as a plain HashSet with the suffix rule would.</summary>
public sealed class DomainSetTests
{
    [Fact]
    public void RandomNames_MatchTheReference_WithCaseAndTrailingDots()
    {
        var random = new Random(7);
        var names = Enumerable.Range(0, 5000).Select(_ => RandomName(random)).Distinct().ToList();
        DomainSet set = Build(names);
        var reference = names.ToHashSet(StringComparer.Ordinal);

        var probes = new List<string>();
        foreach (string name in names.Take(2000))
        {
            probes.Add(name);
            probes.Add(name.ToUpperInvariant() + ".");
            probes.Add("www." + name);
            probes.Add("a.b." + name);
            probes.Add("x" + name);                       // not under it: a different label
            probes.Add(name[(name.IndexOf('.', StringComparison.Ordinal) + 1)..]); // its parent
        }

        probes.AddRange(Enumerable.Range(0, 5000).Select(_ => RandomName(random)));
        foreach (string probe in probes)
        {
            Assert.True(Expected(reference, probe) == set.Contains(Encoding.ASCII.GetBytes(probe)), probe);
        }
    }

    [Theory]
    [InlineData("example.com", "example.com", true)]
    [InlineData("example.com", "WWW.Example.COM.", true)]
    [InlineData("example.com", "notexample.com", false)]
    [InlineData("example.com", "example.com.evil", false)]
    [InlineData("example.com", "com", false)]
    [InlineData("Example.COM.", "a.example.com", true)]
    [InlineData("com", "anything.com", true)]
    [InlineData("example.com", "", false)]
    [InlineData("example.com", ".", false)]
    [InlineData("example.com", ".example.com", true)]
    public void Contains_Examples(string entry, string probe, bool expected) =>
        Assert.Equal(expected, Build([entry]).Contains(Encoding.ASCII.GetBytes(probe)));

    [Theory]
    [InlineData("", "missing")]
    [InlineData("a..b", "empty label")]
    [InlineData(".a", "empty label")]
    [InlineData("*.example.com", "without '*.'")]
    [InlineData("exa mple.com", "' ' cannot be")]
    [InlineData("caf\u00e9.fr", "xn--")]
    public void TryCanonicalize_RefusesWhatIsNotAName(string name, string message)
    {
        Assert.False(DomainSet.TryCanonicalize(Encoding.UTF8.GetBytes(name), out _, out string? error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCanonicalize_RefusesOverlongNamesAndLabels()
    {
        Assert.False(DomainSet.TryCanonicalize(Encoding.ASCII.GetBytes(new string('a', 64) + ".com"), out _, out _));
        Assert.True(DomainSet.TryCanonicalize(Encoding.ASCII.GetBytes(new string('a', 63) + ".com"), out _, out _));
        string long254 = string.Join('.', Enumerable.Repeat(new string('a', 50), 5)) + ".abc";
        Assert.False(DomainSet.TryCanonicalize(Encoding.ASCII.GetBytes(long254), out _, out _));
    }

    [Fact]
    public void StringSet_IsExactAndCaseSensitive()
    {
        StringSet set = StringSet.Build([Encoding.UTF8.GetBytes("curl/8.0"), Encoding.UTF8.GetBytes("Wget"), Encoding.UTF8.GetBytes("Wget")], 42);
        Assert.Equal(2, set.Count);
        Assert.True(set.Contains("curl/8.0"u8));
        Assert.False(set.Contains("curl/8.0 "u8));
        Assert.False(set.Contains("wget"u8));
        Assert.Equal(["Wget", "curl/8.0"], set.Entries().Order(StringComparer.Ordinal));
    }

    // Entries are stored length-first, 7 bits a byte: lengths on either side of 128, 16384 and 2097152 bytes.
    [Theory]
    [InlineData(1)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(16383)]
    [InlineData(16384)]
    [InlineData(2_097_152)]
    public void StringSet_LongEntries_AreExact(int length)
    {
        byte[] entry = [.. Enumerable.Range(0, length).Select(i => (byte)('a' + (i % 26)))];
        byte[] shorter = entry[..^1], longer = [.. entry, (byte)'x'], changed = [.. entry];
        changed[^1] = (byte)'#';
        StringSet set = StringSet.Build([shorter.Length > 0 ? [.. shorter, (byte)'!'] : "!"u8.ToArray(), entry, entry, "z"u8.ToArray()], 7);
        Assert.Equal(3, set.Count);
        Assert.True(set.Contains(entry));
        Assert.False(set.Contains(shorter));
        Assert.False(set.Contains(longer));
        Assert.False(set.Contains(changed));
        Assert.Contains(Encoding.UTF8.GetString(entry), set.Entries());
    }

    private static DomainSet Build(IEnumerable<string> names) => DomainSet.Build(
        [.. names.Select(n => DomainSet.TryCanonicalize(Encoding.ASCII.GetBytes(n), out byte[] c, out string? e) ? c : throw new ArgumentException(e))],
        seed: 1234);

    private static bool Expected(HashSet<string> reference, string probe)
    {
        string name = probe.ToLowerInvariant().TrimEnd('.');
        if (name.Length == 0)
        {
            return false;
        }

        while (true)
        {
            if (reference.Contains(name))
            {
                return true;
            }

            int dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                return false;
            }

            name = name[(dot + 1)..];
        }
    }

    private static string RandomName(Random random)
    {
        int labels = random.Next(1, 5);
        return string.Join('.', Enumerable.Range(0, labels).Select(_ =>
            new string([.. Enumerable.Range(0, random.Next(1, 6)).Select(_ => "abcdefgh-0"[random.Next(10)])]).Trim('-') is { Length: > 0 } l ? l : "x"));
    }
}
