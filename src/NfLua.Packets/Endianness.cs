namespace NfLua.Packets;

/// <summary>Byte order of a number field, as luadata names it.</summary>
/// <remarks>
/// luadata's <c>'net'</c> is <see cref="Big"/>. Only fields longer than 8 bits are affected: a field of at most
/// one byte reads the same in every order.
/// </remarks>
public enum Endianness
{
    /// <summary>Most significant byte first (network order); luadata's default, also spelled <c>'net'</c>.</summary>
    Big,

    /// <summary>Least significant byte first.</summary>
    Little,

    /// <summary>The order of the machine running NfLua (little on x86-64 and arm64 Linux).</summary>
    Host,
}
