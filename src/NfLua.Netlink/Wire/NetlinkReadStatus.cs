namespace NfLua.Netlink.Wire;

/// <summary>The outcome of reading the next message or attribute.</summary>
internal enum NetlinkReadStatus
{
    /// <summary>An item was read.</summary>
    Item,

    /// <summary>The input is used up.</summary>
    End,

    /// <summary>What remains does not hold a well-formed item; stop reading this input.</summary>
    Malformed,
}
