using System.Net;

namespace NfLua.Packets.Tests;

public sealed class IPAddressTextTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.168.1.10")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("2001:db8::1")]
    [InlineData("2001:db8:0:1:1:1:1:1")]
    [InlineData("2001:0:0:1::1")]
    [InlineData("2001:db8::1:0:0:1")]
    [InlineData("fe80::")]
    [InlineData("ff02::1:ff00:1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff")]
    public void Format_KnownAddress_GivesRfc5952Text(string text)
    {
        Assert.Equal(text, IPAddressText.Format(IPAddress.Parse(text).GetAddressBytes()));
    }

    [Fact]
    public void Format_RandomIPv6_AgreesWithIPAddress()
    {
        var random = new Random(42);
        byte[] address = new byte[16];
        for (int i = 0; i < 20_000; i++)
        {
            random.NextBytes(address);
            // Zero some groups so that runs of every length and position appear.
            for (int group = 0; group < 8; group++)
            {
                if (random.Next(2) == 0)
                {
                    address[group * 2] = 0;
                    address[(group * 2) + 1] = 0;
                }
            }

            // IPAddress shows ::a.b.c.d style for some all-zero prefixes that RFC 5952 writes in hex; skip those.
            if (address.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
            {
                continue;
            }

            Assert.Equal(new IPAddress(address).ToString(), IPAddressText.Format(address));
        }
    }

    [Fact]
    public void TryFormat_DestinationTooSmall_ReturnsFalse()
    {
        Assert.False(IPAddressText.TryFormat([192, 168, 1, 10], new char[11], out int written));
        Assert.Equal(0, written);
        Assert.True(IPAddressText.TryFormat([192, 168, 1, 10], new char[12], out written));
        Assert.Equal(12, written);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(17)]
    public void Format_NotFourOrSixteenBytes_GivesNull(int length)
    {
        Assert.Null(IPAddressText.Format(new byte[length]));
    }

    [Fact]
    public void Format_LongestIPv4Mapped_FitsMaxLength()
    {
        byte[] address = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 255, 255, 255, 255];
        Assert.Equal("::ffff:255.255.255.255", IPAddressText.Format(address));
        Assert.True(IPAddressText.Format(Enumerable.Repeat((byte)0xFF, 16).ToArray())!.Length <= IPAddressText.MaxLength);
    }
}
