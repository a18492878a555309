using System.Diagnostics.CodeAnalysis;

namespace NfLua.Packets;

/// <summary>How a layout field is read, as in luadata's field types.</summary>
public enum LayoutFieldKind
{
    /// <summary>An unsigned integer of 1 to 64 bits (luadata type <c>'n'</c>/<c>'number'</c>).</summary>
    Number,

    /// <summary>Raw bytes, read as a Lua string (luadata type <c>'s'</c>/<c>'string'</c>).</summary>
    [SuppressMessage("Naming", "CA1720", Justification = "luadata's own name for the type; scripts spell it 'string'.")]
    String,
}
