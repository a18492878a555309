namespace NfLua.Scripting.Tests;

/// <summary>The two examples of "NPF scripting with Lua" (EuroBSDcon 2014), from examples/, on crafted packets.</summary>
public sealed class TalkExamplesTests : IDisposable
{
    private static readonly string s_examples = FindExamples();

    private readonly LuaRule _ssh = Load("ssh-banner.lua");
    private readonly LuaRule _rtp = Load("rtp-h263.lua");

    public void Dispose()
    {
        _ssh.Dispose();
        _rtp.Dispose();
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH_6.4\r\n", FilterVerdict.Drop)]
    [InlineData("SSH-2.0-OpenSSH_6.4p1 Debian-5\r\n", FilterVerdict.Drop)]
    [InlineData("SSH-2.0-OpenSSH_9.6\r\n", FilterVerdict.Pass)]
    [InlineData("SSH-2.0-dropbear_2022.83\r\n", FilterVerdict.Pass)]
    [InlineData("", FilterVerdict.Pass)]
    public void SshBannerRule_DropsOnlyTheVulnerableVersion(string banner, FilterVerdict expected)
    {
        FilterResult result = _ssh.Filter(TestPackets.Tcp(banner));
        Assert.Equal(RuleFailure.None, result.Failure);
        Assert.Equal(expected, result.Verdict);
    }

    [Fact]
    public void SshBannerRule_PassesUdp() =>
        Assert.Equal(FilterVerdict.Pass, _ssh.Filter(TestPackets.Udp(TestPackets.Rtp(34))).Verdict);

    [Theory]
    [InlineData(34, FilterVerdict.Drop)]
    [InlineData(0, FilterVerdict.Pass)]
    [InlineData(8, FilterVerdict.Pass)]
    [InlineData(96, FilterVerdict.Pass)]
    public void RtpRule_DropsH263Only(int payloadType, FilterVerdict expected)
    {
        FilterResult result = _rtp.Filter(TestPackets.Udp(TestPackets.Rtp(payloadType, marker: true)));
        Assert.Equal(RuleFailure.None, result.Failure);
        Assert.Equal(expected, result.Verdict);
    }

    [Fact]
    public void RtpRule_PassesTcp() =>
        Assert.Equal(FilterVerdict.Pass, _rtp.Filter(TestPackets.Tcp("SSH-2.0-OpenSSH_6.4")).Verdict);

    private static LuaRule Load(string file) =>
        LuaRule.Compile(Path.GetFileNameWithoutExtension(file), File.ReadAllBytes(Path.Combine(s_examples, file)), file, new RuleLimits { MaxCallTime = TimeSpan.FromSeconds(2) });

    private static string FindExamples()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string examples = Path.Combine(dir.FullName, "examples");
            if (File.Exists(Path.Combine(dir.FullName, "NfLua.sln")) && Directory.Exists(examples))
            {
                return examples;
            }
        }

        throw new InvalidOperationException("examples/ not found above " + AppContext.BaseDirectory);
    }
}
