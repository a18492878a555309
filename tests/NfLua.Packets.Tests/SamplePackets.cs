namespace NfLua.Packets.Tests;

/// <summary>
/// Real packets with known-good checksums, built at development time by a small independent Python script
/// (struct + an RFC 1071 sum written from the RFC), and pasted here as hex.
/// </summary>
internal static class SamplePackets
{
    /// <summary>192.168.1.10:5353 → 192.168.1.20:53, payload "hello nflua" (odd length).</summary>
    public const string IPv4Udp = "450000271C46400040119B11C0A8010AC0A8011414E900350013E76C68656C6C6F206E666C7561";

    /// <summary>10.0.0.1:40000 → 10.0.0.2:22, PSH|ACK, 12 bytes of options (timestamps), payload an SSH banner.</summary>
    public const string IPv4Tcp = "450000491C46400040060A670A0000010A0000029C40001601020304A0B0C0D08018FAF09E2300000101080A00000001000000025353482D322E302D4F70656E5353485F392E360D0A";

    /// <summary>10.0.0.1 → 8.8.8.8 echo request, id 0x1234, seq 1, payload "abcdefgh".</summary>
    public const string IPv4IcmpEcho = "450000241C464000400104830A0000010808080808005435123400016162636465666768";

    /// <summary>IHL 6 with a router alert option; 10.1.2.3:1000 → 224.0.0.22:2000, payload "xyz".</summary>
    public const string IPv4OptionsUdp = "460000231C4600004011DD650A010203E00000169404000003E807D0000B158C78797A";

    /// <summary>Traffic class 0x12, flow label 0xABCDE; [2001:db8::1]:1234 → [2001:db8::2]:53, payload "dns?".</summary>
    public const string IPv6Udp = "612ABCDE000C114020010DB800000000000000000000000120010DB800000000000000000000000204D20035000CC7AC646E733F";

    /// <summary>fe80::1 → ff02::1 echo request, id 7, seq 3, payload "ping".</summary>
    public const string IPv6IcmpV6Echo = "612ABCDE000C3AFFFE800000000000000000000000000001FF0200000000000000000000000000018000A3580007000370696E67";

    /// <summary>Hop-by-hop (PadN) + fragment header (offset 0, M=1) + the UDP header 7000 → 8000 and 16 bytes of 'A'.</summary>
    public const string IPv6HopFragFirstUdp = "612ABCDE0028004020010DB800000000000000000000000A20010DB800000000000000000000000B2C0001040000000011000001DEADBEEF1B581F400028111141414141414141414141414141414141";

    /// <summary>Hop-by-hop + fragment header at offset 128 (last fragment), 16 bytes of 'B'.</summary>
    public const string IPv6FragSecond = "612ABCDE0020004020010DB800000000000000000000000A20010DB800000000000000000000000B2C0001040000000011000080DEADBEEF42424242424242424242424242424242";

    /// <summary>Every complete packet above whose checksums are all known (fragments excluded).</summary>
    public static readonly string[] WithChecksums = [IPv4Udp, IPv4Tcp, IPv4IcmpEcho, IPv4OptionsUdp, IPv6Udp, IPv6IcmpV6Echo];

    /// <summary>Every packet above.</summary>
    public static readonly string[] All = [.. WithChecksums, IPv6HopFragFirstUdp, IPv6FragSecond];

    public static byte[] Bytes(string hex) => Convert.FromHexString(hex);
}
