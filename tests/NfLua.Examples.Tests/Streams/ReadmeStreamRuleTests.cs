using System.Text.RegularExpressions;
using NfLua.Examples.Tests.Packets;

namespace NfLua.Examples.Tests.Streams;

/// <summary>README.md's stream rule ("Streams: nflua.stream(pkt) and flow verdicts"), run as written through the evasion matrix.</summary>
public sealed partial class ReadmeStreamRuleTests
{
    private static readonly StreamMatrix s_matrix = new(80, serverSends: false);

    private static string Rule()
    {
        string readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        int section = readme.IndexOf("\n#### Streams: ", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no \"#### Streams\" section");
        Match block = FencedLua().Match(readme, section);
        Assert.True(block.Success && readme.IndexOf("\n### ", section, StringComparison.Ordinal) > block.Index, "the Streams section has no Lua block");
        return block.Groups["code"].Value;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheReadmesStreamRule_StopsARequestForTheBlockedHost_HoweverCut_AndPassesOthers(bool ipv6)
    {
        using var queue = new ExampleQueue("http-host-filter.lua", Rule());
        byte[] blocked = HttpRequest.Get("blocked.example"), allowed = HttpRequest.Get("allowed.example");
        foreach ((string name, Send[] sends) in StreamMatrix.Segmentations(blocked))
        {
            StreamMatrix.Stopped(name, blocked, s_matrix.Play(queue, ipv6, sends));
        }

        foreach ((string name, Send[] sends) in StreamMatrix.Segmentations(allowed))
        {
            StreamMatrix.Outcome outcome = s_matrix.Play(queue, ipv6, sends);
            StreamMatrix.Passed(name, allowed, outcome);
            Assert.False(outcome.LaterCalledTheRule, $"{name}: {outcome}");
        }

        byte[] tricky = HttpRequest.Head("GET / HTTP/1.1", "hOsT:Blocked.Example.");
        StreamMatrix.Stopped("hOsT: without a space, a trailing dot", tricky, s_matrix.Play(queue, ipv6, StreamMatrix.Pieces(tricky, 5)));
    }

    [GeneratedRegex(@"```lua\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex FencedLua();
}
