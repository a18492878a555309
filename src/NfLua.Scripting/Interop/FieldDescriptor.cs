using NfLua.Packets;

namespace NfLua.Scripting.Interop;

/// <summary>
/// A layout field as sandbox.lua packs it into one integer:
/// bit offset &lt;&lt; 28 | bit length &lt;&lt; 4 | kind &lt;&lt; 2 | endianness.
/// </summary>
internal readonly struct FieldDescriptor(long packed)
{
    public long BitOffset => packed >>> 28;

    public int BitLength => (int)((packed >> 4) & 0xFFFFFF);

    public bool IsString => ((packed >> 2) & 0x3) == 1;

    public Endianness Endian => (packed & 0x3) switch
    {
        0 => Endianness.Big,
        1 => Endianness.Little,
        _ => Endianness.Host,
    };
}
