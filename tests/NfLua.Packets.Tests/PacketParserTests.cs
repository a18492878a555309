using System.Buffers.Binary;
using System.Text;

namespace NfLua.Packets.Tests;

public sealed class PacketParserTests
{
    [Fact]
    public void TryParse_IPv4Udp_FindsEverything()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv4Udp);
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));

        Assert.Equal(4, info.Version);
        Assert.Equal(39, info.Length);
        Assert.False(info.IsTruncated);
        Assert.Equal(20, info.NetworkHeaderLength);
        Assert.Equal(IpProtocol.Udp, info.Protocol);
        Assert.True(info.HasTransportHeader);
        Assert.Equal(20, info.TransportOffset);
        Assert.Equal(8, info.TransportHeaderLength);
        Assert.Equal((ushort)5353, info.SourcePort);
        Assert.Equal((ushort)53, info.DestinationPort);
        Assert.Equal("hello nflua", Encoding.ASCII.GetString(info.GetPayload(packet)));
        Assert.Equal([192, 168, 1, 10], info.GetSourceAddress(packet).ToArray());
        Assert.Equal([192, 168, 1, 20], info.GetDestinationAddress(packet).ToArray());
        Assert.False(info.IsFragment);
        Assert.False(info.IsFirstFragment);
    }

    [Fact]
    public void TryParse_IPv4TcpWithOptions_UsesTheDataOffset()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv4Tcp);
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));

        Assert.Equal(IpProtocol.Tcp, info.Protocol);
        Assert.Equal(32, info.TransportHeaderLength);
        Assert.Equal(52, info.PayloadOffset);
        Assert.Equal(0x18, info.TcpFlags);
        Assert.Equal((ushort)40000, info.SourcePort);
        Assert.Equal((ushort)22, info.DestinationPort);
        Assert.Equal("SSH-2.0-OpenSSH_9.6\r\n", Encoding.ASCII.GetString(info.GetPayload(packet)));
    }

    [Fact]
    public void TryParse_IPv4Options_SkipsThemToTheTransportHeader()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv4OptionsUdp);
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));

        Assert.Equal(24, info.NetworkHeaderLength);
        Assert.Equal((ushort)1000, info.SourcePort);
        Assert.Equal((ushort)2000, info.DestinationPort);
        Assert.Equal("xyz", Encoding.ASCII.GetString(info.GetPayload(packet)));
    }

    [Fact]
    public void TryParse_IPv4IcmpEcho_HasAnEightByteHeaderAndNoPorts()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv4IcmpEcho);
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));

        Assert.Equal(IpProtocol.Icmp, info.Protocol);
        Assert.True(info.HasTransportHeader);
        Assert.Equal(8, info.TransportHeaderLength);
        Assert.Equal(0, info.SourcePort);
        Assert.Equal("abcdefgh", Encoding.ASCII.GetString(info.GetPayload(packet)));
    }

    [Fact]
    public void TryParse_IPv6Udp_FindsEverything()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv6Udp);
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));

        Assert.Equal(6, info.Version);
        Assert.Equal(40, info.NetworkHeaderLength);
        Assert.Equal(16, info.AddressLength);
        Assert.Equal(TestPackets.IPv6Source, info.GetSourceAddress(packet).ToArray());
        Assert.Equal(TestPackets.IPv6Destination, info.GetDestinationAddress(packet).ToArray());
        Assert.Equal((ushort)1234, info.SourcePort);
        Assert.Equal((ushort)53, info.DestinationPort);
        Assert.Equal("dns?", Encoding.ASCII.GetString(info.GetPayload(packet)));
    }

    [Fact]
    public void TryParse_IPv6IcmpV6_HasAnEightByteHeader()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv6IcmpV6Echo);
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));

        Assert.Equal(IpProtocol.IcmpV6, info.Protocol);
        Assert.Equal(8, info.TransportHeaderLength);
        Assert.Equal("ping", Encoding.ASCII.GetString(info.GetPayload(packet)));
    }

    [Fact]
    public void TryParse_IPv6HopByHopAndFirstFragment_WalksToUdp()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv6HopFragFirstUdp);
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));

        Assert.Equal(56, info.NetworkHeaderLength);
        Assert.Equal(IpProtocol.Udp, info.Protocol);
        Assert.True(info.IsFragment);
        Assert.True(info.IsFirstFragment);
        Assert.True(info.MoreFragments);
        Assert.Equal(0, info.FragmentOffset);
        Assert.True(info.HasTransportHeader);
        Assert.Equal((ushort)7000, info.SourcePort);
        Assert.Equal((ushort)8000, info.DestinationPort);
        // The UDP length (40) covers the whole datagram: only the 16 bytes present count.
        Assert.Equal(16, info.PayloadLength);
    }

    [Fact]
    public void TryParse_IPv6LaterFragment_HasNoTransportHeader()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv6FragSecond);
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));

        Assert.True(info.IsFragment);
        Assert.False(info.IsFirstFragment);
        Assert.False(info.MoreFragments);
        Assert.Equal(128, info.FragmentOffset);
        Assert.Equal(IpProtocol.Udp, info.Protocol);
        Assert.False(info.HasTransportHeader);
        Assert.Equal(0, info.SourcePort);
        Assert.Equal(56, info.PayloadOffset);
        Assert.Equal(new string('B', 16), Encoding.ASCII.GetString(info.GetPayload(packet)));
    }

    [Fact]
    public void TryParse_IPv6AuthenticationHeader_CountsFourByteUnitsPlusTwo()
    {
        // AH payload length 4 means (4 + 2) * 4 = 24 bytes.
        byte[] ah = [IpProtocol.Udp, 4, .. new byte[22]];
        byte[] packet = TestPackets.IPv6(IpProtocol.AuthenticationHeader, [.. ah, .. TestPackets.UdpHeader(11, 22, 8)]);
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));

        Assert.Equal(64, info.NetworkHeaderLength);
        Assert.Equal(IpProtocol.Udp, info.Protocol);
        Assert.Equal((ushort)11, info.SourcePort);
    }

    [Fact]
    public void TryParse_IPv6DestinationOptionsThenTcp_WalksTheChain()
    {
        byte[] options = [IpProtocol.Tcp, 1, .. new byte[14]];
        byte[] tcp = new byte[20];
        tcp[1] = 80;
        tcp[12] = 0x50;
        tcp[13] = 0x02;
        byte[] packet = TestPackets.IPv6(IpProtocol.DestinationOptions, [.. options, .. tcp]);
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));

        Assert.Equal(56, info.NetworkHeaderLength);
        Assert.Equal(IpProtocol.Tcp, info.Protocol);
        Assert.Equal((ushort)80, info.SourcePort);
        Assert.Equal(0x02, info.TcpFlags);
        Assert.False(info.HasPendingRoute);
    }

    [Theory]
    [InlineData(IpProtocol.Esp)]
    [InlineData(IpProtocol.NoNextHeader)]
    public void TryParse_IPv6EspOrNoNextHeader_StopsThere(byte protocol)
    {
        byte[] packet = TestPackets.IPv6(protocol, new byte[16]);
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));

        Assert.Equal(40, info.NetworkHeaderLength);
        Assert.Equal(protocol, info.Protocol);
        Assert.False(info.HasTransportHeader);
        Assert.Equal(16, info.PayloadLength);
    }

    [Fact]
    public void TryParse_IPv6ExtensionHeaderPastTheEnd_ReturnsFalse()
    {
        byte[] packet = TestPackets.IPv6(IpProtocol.HopByHop, [IpProtocol.Udp, 3, 0, 0, 0, 0, 0, 0]);
        Assert.False(PacketParser.TryParse(packet, out _));
    }

    [Fact]
    public void TryParse_IPv6RoutingHeaderWithSegmentsLeft_FlagsAPendingRoute()
    {
        byte[] packet = TestPackets.IPv6(IpProtocol.Routing, [IpProtocol.Udp, 0, 0, 2, 0, 0, 0, 0, .. TestPackets.UdpHeader(1, 2, 8)]);
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));
        Assert.True(info.HasPendingRoute);
        Assert.Equal(IpProtocol.Udp, info.Protocol);
    }

    [Theory]
    [InlineData(131, 4, true)]
    [InlineData(137, 8, true)]
    [InlineData(131, 12, false)]
    [InlineData(7, 4, false)]
    public void TryParse_IPv4SourceRouteOption_FlagsAPendingRouteWhileHopsRemain(byte option, byte routePointer, bool pending)
    {
        byte[] options = [1, option, 11, routePointer, 10, 9, 9, 9, 10, 8, 8, 8, 0, 0, 0, 0];
        byte[] packet = TestPackets.IPv4(IpProtocol.Udp, options, TestPackets.UdpHeader(1, 2, 8));
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));
        Assert.Equal(36, info.NetworkHeaderLength);
        Assert.Equal(pending, info.HasPendingRoute);
        Assert.True(info.HasTransportHeader);
    }

    [Fact]
    public void TryParse_IPv6PayloadLengthBeyondTheSpan_IsTruncated()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv6Udp)[..46];
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));
        Assert.True(info.IsTruncated);
        Assert.Equal(46, info.Length);
        Assert.False(info.HasTransportHeader);
    }

    [Fact]
    public void TryParse_IPv4FirstFragment_KeepsTheTransportHeader()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv4Udp);
        packet[6] = 0x20;
        packet[7] = 0x00;
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));

        Assert.True(info.IsFragment);
        Assert.True(info.IsFirstFragment);
        Assert.True(info.MoreFragments);
        Assert.True(info.HasTransportHeader);
    }

    [Fact]
    public void TryParse_IPv4LaterFragment_HasOnlyPayload()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv4Udp);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), 185);
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));

        Assert.True(info.IsFragment);
        Assert.False(info.IsFirstFragment);
        Assert.False(info.MoreFragments);
        Assert.Equal(185 * 8, info.FragmentOffset);
        Assert.False(info.HasTransportHeader);
        Assert.Equal(0, info.DestinationPort);
        Assert.Equal(20, info.PayloadOffset);
        Assert.Equal(19, info.PayloadLength);
    }

    [Fact]
    public void TryParse_TruncatedIPv4Tcp_IsFlaggedWithoutTransport()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv4Tcp)[..30];
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));
        Assert.True(info.IsTruncated);
        Assert.Equal(30, info.Length);
        Assert.False(info.HasTransportHeader);
        Assert.Equal(10, info.PayloadLength);
    }

    [Fact]
    public void TryParse_TcpOptionsCutShort_HasNoTransportHeader()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv4Tcp)[..45];
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));
        Assert.False(info.HasTransportHeader);
    }

    [Theory]
    [InlineData(0x40)]
    [InlineData(0x10)]
    public void TryParse_TcpDataOffsetBelowFive_HasNoTransportHeader(byte dataOffsetByte)
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv4Tcp);
        packet[32] = dataOffsetByte;
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));
        Assert.False(info.HasTransportHeader);
        Assert.Equal(0, info.SourcePort);
    }

    [Fact]
    public void TryParse_LinkPaddingAfterTheTotalLength_IsIgnored()
    {
        byte[] packet = [.. SamplePackets.Bytes(SamplePackets.IPv4Udp), 0, 0, 0, 0, 0, 0];
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));
        Assert.Equal(39, info.Length);
        Assert.False(info.IsTruncated);
        Assert.Equal("hello nflua", Encoding.ASCII.GetString(info.GetPayload(packet)));
    }

    [Fact]
    public void TryParse_UdpLengthShorterThanTheIPPayload_EndsThePayloadThere()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv4Udp);
        packet[25] = 8 + 5;
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));
        Assert.Equal("hello", Encoding.ASCII.GetString(info.GetPayload(packet)));
    }

    [Fact]
    public void TryParse_UdpLengthShorterThanTheIPPayload_EndsTheTransportThere()
    {
        byte[] packet = SamplePackets.Bytes(SamplePackets.IPv4Udp);
        packet[25] = 8 + 5;
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));
        Assert.True(info.HasTransport);
        Assert.Equal(13, info.TransportLength);
    }

    [Theory]
    [InlineData(IpProtocol.Gre)]
    [InlineData(IpProtocol.Sctp)]
    [InlineData(IpProtocol.Esp)]
    [InlineData((byte)2)] // IGMP
    [InlineData((byte)4)] // IP in IP
    public void TryParse_OtherProtocol_HasATransportToTheEndOfThePacket(byte protocol)
    {
        byte[] packet = [.. TestPackets.IPv4(protocol, [], new byte[12]), 0, 0, 0, 0]; // and link padding
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));

        Assert.Equal(protocol, info.Protocol);
        Assert.True(info.HasTransport);
        Assert.False(info.HasTransportHeader);
        Assert.Equal(20, info.TransportOffset);
        Assert.Equal(12, info.TransportLength);
    }

    [Fact]
    public void TryParse_OtherProtocolInALaterFragment_HasNoTransport()
    {
        byte[] packet = TestPackets.IPv4(IpProtocol.Gre, [], new byte[12]);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), 100);
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));

        Assert.False(info.HasTransport);
        Assert.Equal(0, info.TransportLength);
    }

    [Fact]
    public void TryParse_TcpHeaderCutShort_HasNoTransport()
    {
        byte[] packet = TestPackets.IPv4(IpProtocol.Tcp, [], new byte[12]);
        Assert.True(PacketParser.TryParse(packet, out PacketInfo info));

        Assert.False(info.HasTransport);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("45000027", "shorter than an IPv4 header")]
    [InlineData("440000271C46400040119B11C0A8010AC0A8011414E900350013E76C68656C6C6F206E666C7561", "IHL 4")]
    [InlineData("4F0000271C46400040119B11C0A8010AC0A8011414E900350013E76C68656C6C6F206E666C7561", "IHL 15 beyond the packet")]
    [InlineData("450000101C46400040119B11C0A8010AC0A8011414E900350013E76C68656C6C6F206E666C7561", "total length below IHL")]
    [InlineData("550000271C46400040119B11C0A8010AC0A8011414E900350013E76C68656C6C6F206E666C7561", "version 5")]
    [InlineData("6000000000001140", "shorter than an IPv6 header")]
    public void TryParse_UnusableIPHeader_ReturnsFalse(string hex, string why)
    {
        Assert.False(PacketParser.TryParse(SamplePackets.Bytes(hex), out PacketInfo info), why);
        Assert.Equal(0, info.Version);
    }
}
