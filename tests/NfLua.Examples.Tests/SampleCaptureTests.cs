namespace NfLua.Examples.Tests;

/// <summary>
/// examples/captures/ holds one capture per example for operators to try (<c>nflua-ctl test examples/X.lua
/// examples/captures/X.pcap</c>, X.pcapng for samples that name interfaces): each is written from the example's <c>Sample</c> cases, so it is exactly what that
/// example's first test runs. Regenerate them after changing a sample with
/// <c>NFLUA_WRITE_SAMPLE_CAPTURES=1 tests/NfLua.Examples.Tests/bin/Release/net10.0/NfLua.Examples.Tests -class NfLua.Examples.Tests.SampleCaptureTests</c>.
/// </summary>
public sealed class SampleCaptureTests
{
    private static readonly Dictionary<string, IReadOnlyList<ExampleCase>> s_samples = new()
    {
        ["ssh-banner"] = SshBannerTests.Sample,
        ["rtp-h263"] = RtpH263Tests.Sample,
        ["tls-sni-blocklist"] = TlsSniBlocklistTests.Sample,
        ["dns-qname-blocklist"] = DnsQnameBlocklistTests.Sample,
        ["http-host-filter"] = HttpHostFilterTests.Sample,
        ["rate-limit"] = RateLimitTests.Sample,
        ["port-knocking"] = PortKnockingTests.Sample,
        ["offload-mark"] = OffloadMarkTests.Sample,
        ["uid-egress"] = UidEgressTests.Sample,
        ["blocklist-sets"] = BlocklistSetsTests.Sample,
        ["interface-policy"] = InterfacePolicyTests.Sample,
    };

    public static TheoryData<string> Examples => [.. s_samples.Keys];

    [Theory]
    [MemberData(nameof(Examples))]
    public void SampleCapture_IsTheSampleTheExamplesTestsRun(string example)
    {
        string file = CaptureName(example);
        string committed = Path.Combine(Repository.Examples, "captures", file);
        using var directory = new TempDirectory();
        string generated = NfluaCtl.WriteCapture(directory.File(file), s_samples[example]);
        if (Environment.GetEnvironmentVariable("NFLUA_WRITE_SAMPLE_CAPTURES") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(committed)!);
            File.Copy(generated, committed, overwrite: true);
        }

        Assert.True(File.Exists(committed), $"{committed} is missing: see {nameof(SampleCaptureTests)} to write it");
        Assert.True(File.ReadAllBytes(generated).SequenceEqual(File.ReadAllBytes(committed)),
            $"{committed} differs from the sample of {example}.lua's tests: regenerate it (see {nameof(SampleCaptureTests)})");
    }

    [Fact]
    public void EveryCapture_BelongsToAnExample()
    {
        string[] orphans = [.. Directory.GetFiles(Path.Combine(Repository.Examples, "captures"))
            .Select(Path.GetFileName)
            .Where(name => !s_samples.ContainsKey(Path.GetFileNameWithoutExtension(name)!) || name != CaptureName(Path.GetFileNameWithoutExtension(name)!))!];
        Assert.True(orphans.Length == 0, "captures without an example's sample: " + string.Join(", ", orphans));
    }

    /// <summary>X.pcapng for a sample whose packets name their interfaces (pcap cannot say them), X.pcap otherwise.</summary>
    private static string CaptureName(string example) =>
        example + (s_samples[example].Any(c => c.Interface is not null) ? ".pcapng" : ".pcap");
}
