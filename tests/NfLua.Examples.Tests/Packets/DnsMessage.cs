using System.Buffers.Binary;
using System.Text;

namespace NfLua.Examples.Tests.Packets;

/// <summary>DNS messages (RFC 1035 4.1) for the tests: a header, then the question's bytes as given.</summary>
internal static class DnsMessage
{
    public const ushort QueryFlags = 0x0100;    // QR 0 (query), opcode 0 (standard), RD
    public const ushort ResponseFlags = 0x8180; // QR 1, RD, RA

    /// <summary>A standard query for <paramref name="name"/>, type A, class IN.</summary>
    public static byte[] Query(string name, ushort id = 0x2B1F) => Message(id, QueryFlags, 1, [.. Name(name), .. TypeAndClass]);

    /// <summary>A response to a query for <paramref name="name"/> (the question only).</summary>
    public static byte[] Response(string name) => Message(0x2B1F, ResponseFlags, 1, [.. Name(name), .. TypeAndClass]);

    /// <summary>QTYPE A, QCLASS IN.</summary>
    public static byte[] TypeAndClass => [0x00, 0x01, 0x00, 0x01];

    public static byte[] Message(ushort id, ushort flags, ushort questions, byte[] body)
    {
        byte[] message = new byte[12 + body.Length];
        BinaryPrimitives.WriteUInt16BigEndian(message, id);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), flags);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), questions);
        body.CopyTo(message, 12);
        return message;
    }

    /// <summary>A name in wire form: length-prefixed labels ending with the root's zero.</summary>
    public static byte[] Name(string name)
    {
        var bytes = new List<byte>();
        foreach (string label in name.TrimEnd('.').Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        return [.. bytes];
    }
}
