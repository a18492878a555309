using System.Text;

namespace NfLua.Examples.Tests.Packets;

/// <summary>
/// A TLS ClientHello in its record (RFC 8446 4.1.2, RFC 6066 3), built from parts a test can change one by one: the
/// defaults make a hello as a current browser sends it; the overrides make it malformed.
/// </summary>
internal sealed record TlsClientHello
{
    public byte RecordType { get; init; } = 22;                 // handshake
    public byte HandshakeType { get; init; } = 1;               // client_hello
    public byte[] SessionId { get; init; } = Pattern(32, 0x5A);
    public byte[] CipherSuites { get; init; } = [0x13, 0x01, 0x13, 0x02, 0x13, 0x03, 0xC0, 0x2F];
    public byte[] CompressionMethods { get; init; } = [0];

    /// <summary>The extensions, each from <see cref="Extension"/>, in order.</summary>
    public IReadOnlyList<byte[]> Extensions { get; init; } = [];

    /// <summary>Replaces the session id's length byte (to make it lie).</summary>
    public int? SessionIdLength { get; init; }

    /// <summary>Replaces the extensions block's length (to make it lie).</summary>
    public int? ExtensionsLength { get; init; }

    /// <summary>Replaces the handshake message's 24-bit length.</summary>
    public int? HandshakeLength { get; init; }

    /// <summary>Replaces the record's length.</summary>
    public int? RecordLength { get; init; }

    /// <summary>A hello naming <paramref name="serverName"/> among typical extensions (SNI third, as browsers often place it).</summary>
    public static TlsClientHello For(string serverName) => new() { Extensions = TypicalExtensions(ServerName(serverName)) };

    /// <summary>Typical extensions with <paramref name="serverName"/> (from <see cref="ServerName(string)"/>) among them, or none.</summary>
    public static byte[][] TypicalExtensions(byte[]? serverName)
    {
        var extensions = new List<byte[]>
        {
            Extension(10, [0x00, 0x04, 0x00, 0x1D, 0x00, 0x17]),                    // supported_groups: x25519, secp256r1
            Extension(13, [0x00, 0x04, 0x04, 0x03, 0x08, 0x04]),                    // signature_algorithms
        };
        if (serverName is not null)
        {
            extensions.Add(serverName);
        }

        extensions.Add(Extension(16, [0x00, 0x0C, 0x02, .. "h2"u8, 0x08, .. "http/1.1"u8])); // ALPN
        extensions.Add(Extension(43, [0x02, 0x03, 0x04]));                           // supported_versions: TLS 1.3
        extensions.Add(KeyShare(32));
        return [.. extensions];
    }

    public static byte[] Extension(ushort type, byte[] body) =>
        [(byte)(type >> 8), (byte)type, (byte)(body.Length >> 8), (byte)body.Length, .. body];

    /// <summary>A server_name extension holding one host_name entry.</summary>
    public static byte[] ServerName(string name) => ServerName(Encoding.ASCII.GetBytes(name), nameType: 0);

    /// <summary>A server_name extension holding one entry of <paramref name="nameType"/>; the list length may lie.</summary>
    public static byte[] ServerName(byte[] name, byte nameType, int? listLength = null)
    {
        byte[] entry = [nameType, (byte)(name.Length >> 8), (byte)name.Length, .. name];
        int length = listLength ?? entry.Length;
        return Extension(0, [(byte)(length >> 8), (byte)length, .. entry]);
    }

    /// <summary>A key_share extension with one share of <paramref name="keyBytes"/> bytes (1216 for a post-quantum hybrid).</summary>
    public static byte[] KeyShare(int keyBytes)
    {
        byte[] share = [0x00, 0x1D, (byte)(keyBytes >> 8), (byte)keyBytes, .. Pattern(keyBytes, 0x33)];
        return Extension(51, [(byte)(share.Length >> 8), (byte)share.Length, .. share]);
    }

    /// <summary>The record: header, handshake header, then the ClientHello's body.</summary>
    public byte[] ToRecord()
    {
        byte[] extensions = [.. Extensions.SelectMany(e => e)];
        int extensionsLength = ExtensionsLength ?? extensions.Length;
        byte[] body =
        [
            0x03, 0x03,                                                             // legacy_version: TLS 1.2
            .. Pattern(32, 0xA7),                                                   // random
            (byte)(SessionIdLength ?? SessionId.Length), .. SessionId,
            (byte)(CipherSuites.Length >> 8), (byte)CipherSuites.Length, .. CipherSuites,
            (byte)CompressionMethods.Length, .. CompressionMethods,
            (byte)(extensionsLength >> 8), (byte)extensionsLength, .. extensions,
        ];
        int handshakeLength = HandshakeLength ?? body.Length;
        byte[] handshake = [HandshakeType, (byte)(handshakeLength >> 16), (byte)(handshakeLength >> 8), (byte)handshakeLength, .. body];
        int recordLength = RecordLength ?? handshake.Length;
        return [RecordType, 0x03, 0x01, (byte)(recordLength >> 8), (byte)recordLength, .. handshake];
    }

    private static byte[] Pattern(int length, byte seed) => [.. Enumerable.Range(0, length).Select(i => (byte)(seed + (i * 7)))];
}
