using System.Net;

namespace NfLua.Packets.Tests;

public sealed class CidrTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.255.1.2", true)]
    [InlineData("10.0.0.0/8", "11.0.0.0", false)]
    [InlineData("192.168.1.0/24", "192.168.1.255", true)]
    [InlineData("192.168.1.0/24", "192.168.2.0", false)]
    [InlineData("192.168.1.7", "192.168.1.7", true)]
    [InlineData("192.168.1.7", "192.168.1.6", false)]
    [InlineData("0.0.0.0/0", "255.255.255.255", true)]
    [InlineData("172.16.0.0/12", "172.31.255.255", true)]
    [InlineData("172.16.0.0/12", "172.32.0.0", false)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::", false)]
    [InlineData("::/0", "ffff::1", true)]
    [InlineData("::1", "::1", true)]
    [InlineData("::1", "::2", false)]
    [InlineData("fe80::/10", "febf::1", true)]
    [InlineData("fe80::/10", "fec0::1", false)]
    [InlineData("10.0.0.0/8", "::ffff:10.0.0.1", false)]
    [InlineData("::/0", "10.0.0.1", false)]
    public void Contains_Address_MatchesThePrefix(string cidr, string address, bool expected)
    {
        Assert.Equal(expected, Cidr.Parse(cidr).Contains(IPAddress.Parse(address).GetAddressBytes()));
    }

    [Theory]
    [InlineData("10.0.0.0/8", 4, 8)]
    [InlineData("1.2.3.4", 4, 32)]
    [InlineData("2001:db8::/32", 6, 32)]
    [InlineData("::", 6, 128)]
    [InlineData("0.0.0.0/0", 4, 0)]
    public void TryParse_ValidText_GivesVersionAndPrefix(string text, int version, int prefix)
    {
        Assert.True(Cidr.TryParse(text, out Cidr cidr, out string? error));
        Assert.Null(error);
        Assert.Equal(version, cidr.Version);
        Assert.Equal(prefix, cidr.PrefixLength);
    }

    [Theory]
    [InlineData("", "address is missing")]
    [InlineData("/8", "address is missing")]
    [InlineData("10.1/16", "four numbers")]
    [InlineData("10.0.0.256/32", "four numbers")]
    [InlineData("10.0.0.01", "leading zeros")]
    [InlineData("10.0.0.0.0/8", "four numbers")]
    [InlineData(" 10.0.0.0/8", "four numbers")]
    [InlineData("10.0.0.0/33", "from 0 to 32")]
    [InlineData("10.0.0.0/", "from 0 to 32")]
    [InlineData("10.0.0.0/-1", "from 0 to 32")]
    [InlineData("10.0.0.0/8/8", "from 0 to 32")]
    [InlineData("2001:db8::/129", "from 0 to 128")]
    [InlineData("fe80::1%eth0", "no zone")]
    [InlineData("2001:db8:::1", "not a valid IPv6")]
    [InlineData("[::1]", "no brackets")]
    [InlineData("10.0.0.1/8", "did you mean 10.0.0.0/8?")]
    [InlineData("2001:db8::1/32", "did you mean 2001:db8::/32?")]
    public void TryParse_InvalidText_ExplainsWhy(string text, string because)
    {
        Assert.False(Cidr.TryParse(text, out Cidr cidr, out string? error));
        Assert.Contains(because, error, StringComparison.Ordinal);
        Assert.Equal(default, cidr);
        Assert.Equal(error, Assert.Throws<FormatException>(() => Cidr.Parse(text)).Message);
    }

    [Fact]
    public void TryParse_HugeText_KeepsTheMessageShort()
    {
        Assert.False(Cidr.TryParse(new string('9', 100_000), out _, out string? error));
        Assert.InRange(error.Length, 1, 300);
    }

    [Theory]
    [InlineData("10.0.0.0/8")]
    [InlineData("192.168.1.7/32")]
    [InlineData("2001:db8::/32")]
    [InlineData("::ffff:10.0.0.0/104")]
    public void ToString_ParsedText_RoundTrips(string text)
    {
        Assert.Equal(text, Cidr.Parse(text).ToString());
    }

    [Fact]
    public void Equals_SameNetworkWrittenTwoWays_IsTrue()
    {
        Assert.Equal(Cidr.Parse("2001:DB8:0::/32"), Cidr.Parse("2001:db8::/32"));
        Assert.True(Cidr.Parse("10.0.0.0/8") != Cidr.Parse("10.0.0.0/9"));
    }

    [Fact]
    public void TryParseUtf8_LuaStringBytes_ParsesLikeText()
    {
        Assert.True(Cidr.TryParseUtf8("2001:db8::/32"u8, out Cidr cidr, out string? error));
        Assert.Null(error);
        Assert.Equal(Cidr.Parse("2001:db8::/32"), cidr);

        Assert.False(Cidr.TryParseUtf8("10.0.0.1/8"u8, out _, out error));
        Assert.Contains("did you mean 10.0.0.0/8?", error, StringComparison.Ordinal);
        Assert.False(Cidr.TryParseUtf8("10.0.0.0/\u0668"u8, out _, out error));
        Assert.Contains("ASCII", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Contains_DefaultValueOrOddLength_IsFalse()
    {
        Assert.False(default(Cidr).Contains([10, 0, 0, 1]));
        Assert.False(Cidr.Parse("0.0.0.0/0").Contains([10, 0, 0]));
        Assert.Equal(string.Empty, default(Cidr).ToString());
    }
}
