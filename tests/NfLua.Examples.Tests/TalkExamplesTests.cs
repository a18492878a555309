using NfLua.Examples.Tests.Packets;
using NfLua.Packets.Capture;
using static NfLua.Examples.Tests.ExampleCase;

namespace NfLua.Examples.Tests;

/// <summary>The SSH-banner rule of "NPF scripting with Lua" (IPv4, as in the talk).</summary>
[ExampleTests(Script)]
public sealed class SshBannerTests
{
    private const string Script = "ssh-banner.lua";

    /// <summary>The capture of examples/captures/ssh-banner.pcap.</summary>
    internal static IReadOnlyList<ExampleCase> Sample { get; } =
    [
        Drop("OpenSSH 6.4", Banner("SSH-2.0-OpenSSH_6.4p1 Debian-5\r\n")),
        Drop("OpenSSH 7.2p1", Banner("SSH-2.0-OpenSSH_7.2p1 Ubuntu-4\r\n")),
        Pass("OpenSSH 9.6", Banner("SSH-2.0-OpenSSH_9.6p1 Ubuntu-3\r\n")),
        Pass("OpenSSH 7.2p2", Banner("SSH-2.0-OpenSSH_7.2p2\r\n")),
        Pass("Dropbear", Banner("SSH-2.0-dropbear_2022.83\r\n")),
        Pass("the banner's text later in a segment", Banner("x SSH-2.0-OpenSSH_6.4\r\n")),
        Pass("an empty ACK", Banner("")),
        Pass("a UDP datagram", IpPacket.UdpDatagram("192.0.2.1", 22, "198.51.100.7", 51000, "SSH-2.0-OpenSSH_6.4\r\n"u8)),
        Pass("the IP packet cut inside the TCP header", IpPacket.Truncated(Banner("SSH-2.0-OpenSSH_6.4\r\n"), 30)),
    ];

    [Fact]
    public void VulnerableBanners_AreDroppedOthersPass() => ExampleAssert.Verdicts(Repository.Example(Script), Sample, CaptureLinkType.Ethernet);

    private static byte[] Banner(string text) => IpPacket.TcpSegment("192.0.2.1", 22, "198.51.100.7", 51000, HttpRequest.Text(text));
}

/// <summary>The RTP/H.263 rule of "NPF scripting with Lua" (IPv4, as in the talk).</summary>
[ExampleTests(Script)]
public sealed class RtpH263Tests
{
    private const string Script = "rtp-h263.lua";

    /// <summary>The capture of examples/captures/rtp-h263.pcap.</summary>
    internal static IReadOnlyList<ExampleCase> Sample { get; } =
    [
        Drop("payload type 34 (H.263)", Rtp(Header(34))),
        Drop("payload type 34 with the marker bit", Rtp(Header(34 | 0x80))),
        Pass("payload type 0 (PCMU)", Rtp(Header(0))),
        Pass("payload type 96 (dynamic)", Rtp(Header(96))),
        Pass("RTP version 1 with payload type 34", Rtp([0x40, 34, .. Header(34)[2..]])),
        Pass("a datagram shorter than an RTP header", Rtp([0x80, 34, 0, 1])),
        Pass("a TCP segment", IpPacket.TcpSegment("10.0.0.1", 20000, "10.0.0.2", 20002, Header(34))),
        Pass("the IP packet cut inside the UDP header", IpPacket.Truncated(Rtp(Header(34)), 24)),
    ];

    [Fact]
    public void H263Streams_AreDroppedOtherPayloadTypesPass() => ExampleAssert.Verdicts(Repository.Example(Script), Sample);

    /// <summary>An RTP version-2 header (no padding, extension or CSRC) with its second byte given, and a little payload.</summary>
    private static byte[] Header(int markerAndPayloadType) =>
        [0x80, (byte)markerAndPayloadType, 0x00, 0x01, 0x00, 0x00, 0x0B, 0xB8, 0x12, 0x34, 0x56, 0x78, 1, 2, 3, 4];

    private static byte[] Rtp(byte[] payload) => IpPacket.UdpDatagram("10.0.0.1", 20000, "10.0.0.2", 20002, payload);
}
