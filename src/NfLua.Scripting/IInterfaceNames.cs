namespace NfLua.Scripting;

/// <summary>
/// Interface names by index, as the host keeps them current (nfluad: from the kernel's link
/// notifications; <c>nflua-ctl test</c>: from the capture). Called on the rule's thread during a call:
/// it must answer from memory, never with a system call, and allocate nothing.
/// </summary>
public interface IInterfaceNames
{
    /// <summary>Grows whenever a name changes, so rules know when the names they cached are stale.</summary>
    long Version { get; }

    /// <summary>The name of interface <paramref name="index"/> as UTF-8, or empty when unknown.</summary>
    ReadOnlySpan<byte> Name(uint index);
}
