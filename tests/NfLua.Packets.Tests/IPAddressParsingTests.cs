using System.Net;
using System.Text;

namespace NfLua.Packets.Tests;

public sealed class IPAddressParsingTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("10.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("1::")]
    [InlineData("2001:db8::1")]
    [InlineData("2001:DB8:0:0:8:800:200C:417A")]
    [InlineData("2001:0db8:0000:0000:0000:0000:0000:0001")]
    [InlineData("1:2:3:4:5:6:7::")]
    [InlineData("::2:3:4:5:6:7:8")]
    [InlineData("1:2:3:4:5:6:7:8")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::13.1.68.3")]
    [InlineData("64:ff9b::192.0.2.33")]
    [InlineData("1:2:3:4:5:6:1.2.3.4")]
    public void TryParse_ValidText_GivesTheSameBytesAsIPAddress(string text)
    {
        byte[] address = new byte[16];
        Assert.True(IPAddressText.TryParse(text, address, out int written));
        Assert.Equal(IPAddress.Parse(text).GetAddressBytes(), address[..written]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("10.1")]
    [InlineData("10.0.0")]
    [InlineData("10.0.0.1.2")]
    [InlineData("010.0.0.1")]
    [InlineData("0x0a.0.0.1")]
    [InlineData("256.0.0.1")]
    [InlineData("1.2.3.4 ")]
    [InlineData("-1.2.3.4")]
    [InlineData(":")]
    [InlineData(":::")]
    [InlineData("1:::2")]
    [InlineData("1::2::3")]
    [InlineData(":1::")]
    [InlineData("1:")]
    [InlineData("12345::")]
    [InlineData("g::")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("1:2:3:4:5:6:7")]
    [InlineData("1:2:3:4:5:6:7:8::")]
    [InlineData("::1:2:3:4:5:6:7:8")]
    [InlineData("1:2:3:4:5:6:7:1.2.3.4")]
    [InlineData("::1.2.3")]
    [InlineData("::1.2.3.4:5")]
    [InlineData("::01.2.3.4")]
    [InlineData("fe80::1%eth0")]
    [InlineData("[::1]")]
    public void TryParse_InvalidText_ReturnsFalse(string text)
    {
        Assert.False(IPAddressText.TryParse(text, new byte[16], out int written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void TryParse_DestinationTooSmall_ReturnsFalse()
    {
        Assert.False(IPAddressText.TryParse("::1", new byte[15], out _));
        Assert.True(IPAddressText.TryParse("10.0.0.1", new byte[4], out int written));
        Assert.Equal(4, written);
    }

    [Fact]
    public void TryParseUtf8_AsciiText_ParsesAndRefusesOtherBytes()
    {
        byte[] address = new byte[16];
        Assert.True(IPAddressText.TryParseUtf8("2001:db8::1"u8, address, out int written));
        Assert.Equal(IPAddress.Parse("2001:db8::1").GetAddressBytes(), address[..written]);
        Assert.False(IPAddressText.TryParseUtf8("10.0.0.\u0661"u8, address, out _));
        Assert.False(IPAddressText.TryParseUtf8(Encoding.ASCII.GetBytes(new string('1', 200)), address, out _));
    }

    [Fact]
    public void TryParse_RandomAddressesInEveryForm_AgreeWithIPAddress()
    {
        var random = new Random(11);
        byte[] address = new byte[16];
        byte[] parsed = new byte[16];
        for (int i = 0; i < 20_000; i++)
        {
            random.NextBytes(address);
            for (int group = 0; group < 8; group++)
            {
                if (random.Next(3) == 0)
                {
                    address[group * 2] = 0;
                    address[(group * 2) + 1] = 0;
                }
            }

            string compressed = new IPAddress(address).ToString();
            string full = string.Join(':', Enumerable.Range(0, 8).Select(g =>
                ((address[g * 2] << 8) | address[(g * 2) + 1]).ToString(random.Next(2) == 0 ? "X4" : "x", null)));
            foreach (string text in new[] { compressed, full })
            {
                Assert.True(IPAddressText.TryParse(text, parsed, out int written), text);
                Assert.Equal(address, parsed[..written]);
            }
        }
    }

    [Fact]
    public void TryParse_MutatedText_AcceptsOnlyWhatIPAddressAcceptsAlike()
    {
        var random = new Random(12);
        const string alphabet = "0123456789abcdefABCDEF:.:::";
        string[] seeds = ["2001:db8::1", "::ffff:10.0.0.1", "1:2:3:4:5:6:7:8", "10.0.0.1", "::", "fe80::1:2"];
        byte[] parsed = new byte[16];
        int accepted = 0;
        for (int i = 0; i < 100_000; i++)
        {
            var text = new StringBuilder(seeds[random.Next(seeds.Length)]);
            for (int change = random.Next(1, 4); change > 0; change--)
            {
                int at = random.Next(text.Length + 1);
                switch (random.Next(3))
                {
                    case 0:
                        text.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                    case 1 when at < text.Length:
                        text.Remove(at, 1);
                        break;
                    default:
                        if (at < text.Length)
                        {
                            text[at] = alphabet[random.Next(alphabet.Length)];
                        }

                        break;
                }
            }

            string candidate = text.ToString();
            if (IPAddressText.TryParse(candidate, parsed, out int written))
            {
                Assert.True(IPAddress.TryParse(candidate, out IPAddress? reference), candidate);
                Assert.Equal(reference.GetAddressBytes(), parsed[..written]);
                accepted++;
            }
        }

        // Many mutations stay valid (a changed hex digit), so the comparison is not vacuous.
        Assert.InRange(accepted, 10_000, 90_000);
    }

    // The set lookups parse IPv4 text straight from UTF-8 bytes: it must take and refuse exactly what the char parser does.
    [Fact]
    public void TryParseIPv4_FromBytes_AgreesWithTheCharParser()
    {
        var texts = new List<string>
        {
            "0.0.0.0", "255.255.255.255", "1.2.3.4", "256.0.0.1", "1.2.3.256", "1.2.3.4.", ".1.2.3", "1..2.3", "1.2.3",
            "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "1.2.3.0", "0.0.0.00", "999.1.1.1", "1.2.3.4 ", " 1.2.3.4", "1.2.3.-4",
            "1.2.3.4/8", "1.2.3.1000", "1.2.3.4\u00e9", "", "1", "0x1.2.3.4", "1.2.3.+4", "10.0.0.1%eth0", "100.200.255.199",
        };
        var random = new Random(9);
        const string alphabet = "0123456789..a/";
        for (int i = 0; i < 50_000; i++)
        {
            var text = new StringBuilder();
            int length = random.Next(5, 17);
            for (int c = 0; c < length; c++)
            {
                text.Append(alphabet[random.Next(alphabet.Length)]);
            }

            texts.Add(text.ToString());
            texts.Add($"{random.Next(0, 300)}.{random.Next(0, 300)}.{random.Next(0, 300)}.{random.Next(0, 300)}");
        }

        byte[] address = new byte[4];
        foreach (string text in texts)
        {
            bool expected = IPAddressParser.TryParseIPv4(text, address);
            bool parsed = IPAddressParser.TryParseIPv4(Encoding.UTF8.GetBytes(text), out uint value);
            Assert.True(expected == parsed, text);
            if (expected)
            {
                Assert.Equal(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(address), value);
            }
        }
    }
}
