using System.Globalization;

namespace NfLua.Netlink.Tests;

/// <summary>Golden bytes written as hex, with spaces and | for readability.</summary>
internal static class Bytes
{
    public static byte[] Hex(string hex)
    {
        string digits = new(hex.Where(Uri.IsHexDigit).ToArray());
        return Enumerable.Range(0, digits.Length / 2)
            .Select(i => byte.Parse(digits.AsSpan(i * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture))
            .ToArray();
    }

    /// <summary>A PACKET message for queue 7 (family AF_INET) around the given attribute bytes; nlmsg_len is exact.</summary>
    public static byte[] PacketMessage(params byte[][] attributes)
    {
        byte[] body = attributes.SelectMany(a => a).ToArray();
        int length = 20 + body.Length;
        byte[] header = Hex($"{length & 0xFF:x2} {length >> 8:x2} 00 00 | 00 03 | 00 00 | 00 00 00 00 | 00 00 00 00 | 02 00 00 07");
        return [.. header, .. body];
    }

    /// <summary>NFQA_PACKET_HDR for id, IPv4, LOCAL_OUT (padded).</summary>
    public static byte[] PacketHeader(uint id = 5) =>
        Hex($"0b 00 01 00 | {id >> 24:x2} {(id >> 16) & 0xFF:x2} {(id >> 8) & 0xFF:x2} {id & 0xFF:x2} 08 00 03 | 00");
}
