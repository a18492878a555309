using System.Text;

namespace NfLua.Examples.Tests.Packets;

/// <summary>HTTP/1.x request heads as a client sends them, lines joined with CRLF.</summary>
internal static class HttpRequest
{
    /// <summary>A GET for / naming <paramref name="host"/>, with the usual headers and the empty line.</summary>
    public static byte[] Get(string host) => Head("GET / HTTP/1.1", $"Host: {host}", "User-Agent: curl/8.5.0", "Accept: */*");

    /// <summary>A request line and header lines, ended by the empty line.</summary>
    public static byte[] Head(string requestLine, params string[] headers) =>
        Text(string.Concat([requestLine, "\r\n", .. headers.Select(h => h + "\r\n"), "\r\n"]));

    public static byte[] Text(string text) => Encoding.ASCII.GetBytes(text);
}
