namespace NfLua.Scripting.Tests;

/// <summary>The two examples of "NPF scripting with Lua" (EuroBSDcon 2014), as NfLua rules on crafted packets.</summary>
public sealed class TalkExamplesTests : IDisposable
{
    public const string SshBannerRule = """
        -- Drop an SSH server announcing a vulnerable OpenSSH version.
        local data = require("data")
        local ip = data.layout{ ihl = {4, 4}, protocol = {72, 8} }
        local tcp = data.layout{ data_offset = {96, 4} }

        function filter(pkt)
          pkt:layout(ip)
          if pkt.protocol ~= 6 then return true end
          local segment = pkt:segment(pkt.ihl * 4)
          segment:layout(tcp)
          local payload = segment:segment(segment.data_offset * 4)
          if payload == nil then return true end
          local banner = tostring(payload)
          if banner:find("^SSH%-%d%.%d%-OpenSSH_6%.4") then return false end
          return true
        end
        """;

    public const string RtpRule = """
        -- Drop RTP streams carrying H.263 video (payload type 34).
        local rtp = data.layout{ version = {0, 2}, marker = {8, 1}, payload_type = {9, 7}, ssrc = {64, 32} }
        local ip = data.layout{ ihl = {4, 4}, protocol = {72, 8} }

        function filter(pkt)
          pkt:layout(ip)
          if pkt.protocol ~= 17 then return true end
          local udp_payload = pkt:segment(pkt.ihl * 4 + 8)
          if udp_payload == nil then return true end
          udp_payload:layout(rtp)
          if udp_payload.version == 2 and udp_payload.payload_type == 34 then return false end
          return true
        end
        """;

    private readonly LuaRule _ssh = LuaRule.Compile("ssh-banner", SshBannerRule, "ssh-banner.lua", new RuleLimits());
    private readonly LuaRule _rtp = LuaRule.Compile("rtp-h263", RtpRule, "rtp-h263.lua", new RuleLimits());

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
}
