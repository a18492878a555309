using System.Text;

namespace NfLua.Packets;

/// <summary>Turns short ASCII byte strings (from Lua) into chars on the stack, so parsers need no string.</summary>
internal static class AsciiText
{
    public static bool TryWiden(ReadOnlySpan<byte> bytes, Span<char> destination, out int length)
    {
        length = 0;
        if (bytes.Length > destination.Length || !Ascii.IsValid(bytes))
        {
            return false;
        }

        length = Encoding.ASCII.GetChars(bytes, destination);
        return true;
    }
}
