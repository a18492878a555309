namespace NfLua.Packets;

/// <summary>One field of a built-in layout.</summary>
/// <param name="Name">The field's name in Lua (lower case, underscores).</param>
/// <param name="BitOffset">
/// Offset of the field in bits, most significant bit first, from the start of its header. For
/// <see cref="LayoutFieldKind.String"/> fields too: there it is always a multiple of 8 (divide by 8 for luadata's byte
/// offsets).
/// </param>
/// <param name="BitLength">
/// Length in bits: 1 to 64 for numbers; for strings always a multiple of 8 (divide by 8 for the byte count).
/// </param>
/// <param name="Kind">Number or string.</param>
/// <param name="Endian">Byte order of a number field (every built-in field is big-endian, like the wire).</param>
public readonly record struct LayoutFieldSpec(string Name, long BitOffset, int BitLength, LayoutFieldKind Kind, Endianness Endian);
