using System.Globalization;
using System.Text.RegularExpressions;
using NfLua.Examples.Tests.Packets;

namespace NfLua.Examples.Tests;

[ExampleTests(Script)]
public sealed partial class RateLimitTests
{
    private const string Script = "rate-limit.lua";
    private const string Server = "192.0.2.22";

    /// <summary>The capture of examples/captures/rate-limit.pcap: one source floods, two others keep under the rate.</summary>
    internal static IReadOnlyList<ExampleCase> Sample { get; } = Expected(Settings.Of(Repository.Example(Script)), FloodWithPoliteNeighbours());

    [Fact]
    public void AFloodingSource_IsCutToItsRateWhileOthersPass()
    {
        IReadOnlyList<ExampleCase> cases = Sample;
        ExampleAssert.Verdicts(Repository.Example(Script), cases);

        // What the model says, in words: the flood loses packets, the others none.
        Assert.Contains(cases, c => c.Name.StartsWith("flood", StringComparison.Ordinal) && c.Verdict == "drop");
        Assert.DoesNotContain(cases, c => !c.Name.StartsWith("flood", StringComparison.Ordinal) && c.Verdict == "drop");
    }

    [Fact]
    public void ABurst_ThenOneTokenPerRefill_ToTheMillisecond()
    {
        Settings settings = Settings.Of(Repository.Example(Script));
        Assert.True(1000 % settings.Rate == 0, "this test wants a whole number of milliseconds per token");
        long refill = 1000 / settings.Rate;
        const string Source = "198.51.100.1";

        List<ExampleCase> cases = [.. Enumerable.Range(0, settings.Burst).Select(i => Case("burst", Source, 0, "pass"))];
        cases.Add(Case("over the burst, same millisecond", Source, 0, "drop"));
        cases.Add(Case("a millisecond before the refill", Source, refill - 1, "drop"));
        cases.Add(Case("at the refill", Source, refill, "pass"));
        cases.Add(Case("the token is spent", Source, refill, "drop"));
        cases.Add(Case("a millisecond before the second refill", Source, (2 * refill) - 1, "drop"));
        cases.Add(Case("at the second refill", Source, 2 * refill, "pass"));

        // A long pause refills the bucket, to BURST and no more.
        long later = (2 * refill) + (100 * refill);
        cases.AddRange(Enumerable.Range(0, settings.Burst).Select(i => Case("a new burst after a pause", Source, later, "pass")));
        cases.Add(Case("over the new burst", Source, later, "drop"));
        ExampleAssert.Verdicts(Repository.Example(Script), cases);

        // The model agrees (it is what the sample's verdicts come from).
        Assert.Equal(cases.Select(c => c.Verdict), Expected(settings, [.. cases.Select(c => (c.Name, Source, c.AtMilliseconds!.Value))]).Select(c => c.Verdict));
    }

    [Fact]
    public void Sources_HaveTheirOwnBuckets_IPv4AndIPv6()
    {
        Settings settings = Settings.Of(Repository.Example(Script));
        string[] sources = ["198.51.100.1", "198.51.100.2", "2001:db8::1", "2001:db8::2"];
        List<ExampleCase> cases = [];
        foreach (string source in sources)
        {
            // Each spends its burst, in the same millisecond as the others: every one gets BURST packets, then none.
            cases.AddRange(Enumerable.Range(0, settings.Burst).Select(i => Case($"{source}: burst", source, 5, "pass")));
            cases.Add(Case($"{source}: over its burst", source, 5, "drop"));
        }

        ExampleAssert.Verdicts(Repository.Example(Script), cases);
    }

    [Fact]
    public void AFullTable_PassesNewSourcesUntilASweepForgetsIdleOnes()
    {
        using var directory = new TempDirectory();
        string script = ExampleScript.WithSetting(directory, Script, "local MAX_SOURCES = 4096", "local MAX_SOURCES = 2");
        Settings settings = Settings.Of(script);
        Assert.Equal(2, settings.MaxSources);
        long sweep = settings.SweepMs;
        Assert.True(sweep > (1000 * settings.Burst / settings.Rate) + 1, "this test wants a bucket to refill between two sweeps");
        const string A = "198.51.100.1", B = "198.51.100.2", C = "198.51.100.3", D = "198.51.100.4";

        List<ExampleCase> cases =
        [
            // a and b fill the table; c, new, finds no room (a sweep forgets nobody: both spent a token): untracked, it passes.
            Case("a", A, 0, "pass"),
            Case("b", B, 0, "pass"),
            .. Enumerable.Range(0, settings.Burst + 4).Select(i => Case("c, untracked", C, 1, "pass")),
        ];

        // b stays busy (its bucket short of full), a goes quiet; a millisecond before the next sweep may run, c is still untracked.
        cases.AddRange(Enumerable.Range(0, 2).Select(i => Case("b, busy", B, sweep - 2, "pass")));
        cases.Add(Case("c, untracked until the next sweep", C, sweep, "pass"));

        // At the sweep, a (refilled) is forgotten, b is not: c takes a's place and is limited from its first packet.
        cases.AddRange(Enumerable.Range(0, settings.Burst).Select(i => Case("c, tracked", C, sweep + 1, "pass")));
        cases.Add(Case("c, over its burst", C, sweep + 1, "drop"));

        // d, new, finds the table full (b, c) and no sweep due for SWEEP_MS: it passes, however much it sends.
        cases.AddRange(Enumerable.Range(0, settings.Burst + 4).Select(i => Case("d, untracked", D, sweep + 2, "pass")));
        ExampleAssert.Verdicts(script, cases);
    }

    [Fact]
    public void PingFloods_AreCutToTheRate_IPv4AndIPv6()
    {
        // The operator's ICMP rate limit: the header's third iptables line queues echo requests; the same buckets apply.
        Settings settings = Settings.Of(Repository.Example(Script));
        var model = new TokenBucketModel(settings);
        List<ExampleCase> cases = [];
        ushort sequence = 0;
        for (long at = 0; at < 1000; at += 5)
        {
            foreach ((string name, string source, string target, long every) in new[]
            {
                ("ping flood", "198.51.100.66", Server, 5L),
                ("ping6 flood", "2001:db8::66", "2001:db8::22", 5L),
                ("a ping a second", "198.51.100.10", Server, 1000L),
                ("ping6 every 200 ms", "2001:db8::10", "2001:db8::22", 200L),
            })
            {
                if (at % every == 0)
                {
                    byte[] echo = IpPacket.EchoRequest(source, target, 0x4242, ++sequence, "abcdefgh"u8);
                    cases.Add(new ExampleCase(name, echo, model.Admit(source, at) ? "pass" : "drop").At(at));
                }
            }
        }

        ExampleAssert.Verdicts(Repository.Example(Script), cases);
        // In words: in one second a flood gets its burst and at most RATE more; the others lose nothing.
        Assert.InRange(cases.Count(c => c.Name == "ping flood" && c.Verdict == "pass"), settings.Burst, settings.Burst + settings.Rate);
        Assert.InRange(cases.Count(c => c.Name == "ping6 flood" && c.Verdict == "pass"), settings.Burst, settings.Burst + settings.Rate);
        Assert.DoesNotContain(cases, c => !c.Name.Contains("flood", StringComparison.Ordinal) && c.Verdict == "drop");
    }

    /// <summary>One second: a source sending every 10 ms, one every 200 ms and one (IPv6) every 250 ms.</summary>
    private static List<(string Name, string Source, long At)> FloodWithPoliteNeighbours()
    {
        List<(string, string, long)> packets = [];
        for (long at = 0; at < 1000; at += 10)
        {
            packets.Add(("flood", "198.51.100.66", at));
            if (at % 200 == 50)
            {
                packets.Add(("polite", "198.51.100.10", at));
            }

            if (at % 250 == 120)
            {
                packets.Add(("polite v6", "2001:db8::10", at));
            }
        }

        return packets;
    }

    /// <summary>The packets (TCP SYNs to port 22, as the header's iptables line queues) with the verdicts the model gives.</summary>
    private static List<ExampleCase> Expected(Settings settings, List<(string Name, string Source, long At)> packets)
    {
        var model = new TokenBucketModel(settings);
        return [.. packets.Select((p, i) => Case(p.Name, p.Source, p.At, model.Admit(p.Source, p.At) ? "pass" : "drop", (ushort)(40000 + i)))];
    }

    /// <summary>A TCP SYN from <paramref name="source"/> to port 22, at <paramref name="at"/> ms, with its verdict.</summary>
    private static ExampleCase Case(string name, string source, long at, string verdict, ushort sourcePort = 40000)
    {
        string server = source.Contains(':', StringComparison.Ordinal) ? "2001:db8::22" : Server;
        return new ExampleCase(name, IpPacket.Syn(source, sourcePort, server, 22), verdict).At(at);
    }

    /// <summary>The example's settings, read from the script so that the tests follow an operator's edits.</summary>
    private sealed record Settings(int Burst, int Rate, int MaxSources, int SweepMs)
    {
        public static Settings Of(string script)
        {
            string text = File.ReadAllText(script);
            return new Settings(Read(text, "BURST"), Read(text, "RATE"), Read(text, "MAX_SOURCES"), Read(text, "SWEEP_MS"));
        }

        private static int Read(string text, string name)
        {
            Match match = Regex.Match(text, $@"^local {name} = (\d+)$", RegexOptions.Multiline);
            Assert.True(match.Success, $"no 'local {name} = N' line");
            return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// The behaviour the example's header documents, written independently, for one source at a time in a table that
    /// never fills: BURST tokens, one per packet, refilled at RATE per second. Exact: tokens are kept as a fraction
    /// (numerator over 1000, the milliseconds in a second), a source's count at time t being
    /// min(BURST, count at t0 + (t - t0) * RATE / 1000).
    /// </summary>
    private sealed class TokenBucketModel(Settings settings)
    {
        private readonly Dictionary<string, (long Thousandths, long At)> _buckets = [];

        public bool Admit(string source, long now)
        {
            long full = settings.Burst * 1000L;
            (long thousandths, long at) = _buckets.TryGetValue(source, out var bucket) ? bucket : (full, now);
            thousandths = Math.Min(full, thousandths + ((now - at) * settings.Rate));
            bool admitted = thousandths >= 1000;
            _buckets[source] = (admitted ? thousandths - 1000 : thousandths, now);
            return admitted;
        }
    }
}
