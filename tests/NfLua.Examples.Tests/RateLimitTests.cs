using System.Globalization;
using System.Text.RegularExpressions;
using NfLua.Examples.Tests.Packets;

namespace NfLua.Examples.Tests;

[ExampleTests(Script)]
public sealed partial class RateLimitTests
{
    private const string Script = "rate-limit.lua";
    private const string Server = "192.0.2.22";

    /// <summary>The capture of examples/captures/rate-limit.pcap: one source floods, two others keep to their share.</summary>
    internal static IReadOnlyList<ExampleCase> Sample { get; } = Expected(Settings.Of(Repository.Example(Script)), FloodWithPoliteNeighbours());

    [Fact]
    public void AFloodingSource_IsCutToItsShareWhileOthersPass()
    {
        IReadOnlyList<ExampleCase> cases = Sample;
        ExampleAssert.Verdicts(Repository.Example(Script), cases);

        // What the model says, in words: the flood loses packets, the others none.
        Assert.Contains(cases, c => c.Name.StartsWith("flood", StringComparison.Ordinal) && c.Verdict == "drop");
        Assert.DoesNotContain(cases, c => !c.Name.StartsWith("flood", StringComparison.Ordinal) && c.Verdict == "drop");
    }

    [Fact]
    public void ALoneSource_GetsItsBurstThenOnePacketPerInterval()
    {
        Settings settings = Settings.Of(Repository.Example(Script));
        List<(string, string)> packets = [.. Enumerable.Repeat(("flood", "198.51.100.1"), 60)];
        List<ExampleCase> cases = Expected(settings, packets);
        ExampleAssert.Verdicts(Repository.Example(Script), cases);

        // A lone source earns a tick per packet of its own: after the burst, one packet in INTERVAL passes.
        Assert.All(cases.Take(settings.Burst), c => Assert.Equal("pass", c.Verdict));
        int passedAtTheEnd = cases.Skip(cases.Count - (4 * settings.Interval)).Count(c => c.Verdict == "pass");
        Assert.Equal(4, passedAtTheEnd);
    }

    [Fact]
    public void AFullTable_PassesNewSourcesUntilASweepMakesRoom()
    {
        using var directory = new TempDirectory();
        string script = ExampleScript.WithSetting(directory, Script, "local MAX_SOURCES = 4096", "local MAX_SOURCES = 2");
        script = ExampleScript.WithSetting(directory, Path.GetFileName(script), "local SWEEP_INTERVAL = 1024", "local SWEEP_INTERVAL = 30", directory.Path);
        Settings settings = Settings.Of(script);
        Assert.Equal((2, 30), (settings.MaxSources, settings.SweepInterval));

        // Two sources fill the table; a third floods while they are active (untracked: passes), then after
        // they have been quiet long enough for their buckets to refill, a sweep forgets them and the third is limited.
        List<(string, string)> packets = [("a", "198.51.100.1"), ("b", "198.51.100.2")];
        packets.AddRange(Enumerable.Repeat(("c", "198.51.100.3"), 80));
        List<ExampleCase> cases = Expected(settings, packets);
        ExampleAssert.Verdicts(script, cases);

        Assert.All(cases.Take(2 + 30), c => Assert.Equal("pass", c.Verdict));
        Assert.Contains(cases.Skip(2 + 30), c => c.Verdict == "drop");
    }

    [Fact]
    public void IPv6Sources_HaveTheirOwnBuckets()
    {
        Settings settings = Settings.Of(Repository.Example(Script));
        List<(string, string)> packets = [];
        for (int i = 0; i < 30; i++)
        {
            packets.Add(("flood v6", "2001:db8::1"));
            packets.Add(("flood v6 neighbour", "2001:db8::2"));
        }

        List<ExampleCase> cases = Expected(settings, packets);
        ExampleAssert.Verdicts(Repository.Example(Script), cases);
        Assert.Contains(cases, c => c.Verdict == "drop");
    }

    /// <summary>A source sending every packet in its turn, and two sending one packet in 2 x INTERVAL each.</summary>
    private static List<(string Name, string Source)> FloodWithPoliteNeighbours()
    {
        List<(string, string)> packets = [];
        for (int i = 0; i < 64; i++)
        {
            packets.Add(("flood", "198.51.100.66"));
            if (i % 8 == 3)
            {
                packets.Add(("polite", "198.51.100.10"));
            }

            if (i % 8 == 7)
            {
                packets.Add(("polite v6", "2001:db8::10"));
            }
        }

        return packets;
    }

    /// <summary>The packets (TCP SYNs to port 22, as the header's iptables line queues) with the verdicts the model gives.</summary>
    private static List<ExampleCase> Expected(Settings settings, List<(string Name, string Source)> packets)
    {
        var model = new TokenBucketModel(settings);
        var cases = new List<ExampleCase>();
        for (int i = 0; i < packets.Count; i++)
        {
            (string name, string source) = packets[i];
            string server = source.Contains(':', StringComparison.Ordinal) ? "2001:db8::22" : Server;
            byte[] syn = IpPacket.Syn(source, (ushort)(40000 + i), server, 22);
            cases.Add(new ExampleCase(name, syn, model.Admit(source) ? "pass" : "drop"));
        }

        return cases;
    }

    /// <summary>The example's settings, read from the script so that the model follows an operator's edits.</summary>
    private sealed record Settings(int Burst, int Interval, int MaxSources, int SweepInterval)
    {
        public static Settings Of(string script)
        {
            string text = File.ReadAllText(script);
            return new Settings(Read(text, "BURST"), Read(text, "INTERVAL"), Read(text, "MAX_SOURCES"), Read(text, "SWEEP_INTERVAL"));
        }

        private static int Read(string text, string name)
        {
            Match match = Regex.Match(text, $@"^local {name} = (\d+)$", RegexOptions.Multiline);
            Assert.True(match.Success, $"no 'local {name} = N' line");
            return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// The behaviour the example's header documents, written independently: a bucket of BURST tokens per source, one token
    /// per packet, refilled by one token every INTERVAL packets judged (from any source); a full table forgets the sources
    /// whose bucket is full again, at most once every SWEEP_INTERVAL packets, and passes a new source it has no room for.
    /// </summary>
    private sealed class TokenBucketModel(Settings settings)
    {
        private readonly Dictionary<string, (long Units, long At)> _buckets = [];
        private long _clock;
        private long _lastSweep = -settings.SweepInterval;

        private long Full => (long)settings.Burst * settings.Interval;

        public bool Admit(string source)
        {
            long now = ++_clock;
            if (!_buckets.TryGetValue(source, out (long Units, long At) bucket))
            {
                if (_buckets.Count >= settings.MaxSources && !Sweep(now))
                {
                    return true;
                }

                bucket = (Full, now);
            }

            long units = Math.Min(Full, bucket.Units + (now - bucket.At));
            bool admitted = units >= settings.Interval;
            _buckets[source] = (admitted ? units - settings.Interval : units, now);
            return admitted;
        }

        private bool Sweep(long now)
        {
            if (now - _lastSweep < settings.SweepInterval)
            {
                return false;
            }

            _lastSweep = now;
            foreach (var (source, bucket) in _buckets.ToList())
            {
                if (Math.Min(Full, bucket.Units + (now - bucket.At)) == Full)
                {
                    _buckets.Remove(source);
                }
            }

            return _buckets.Count < settings.MaxSources;
        }
    }
}
