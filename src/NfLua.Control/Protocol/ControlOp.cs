namespace NfLua.Control;

/// <summary>The operations of the control protocol; on the wire they are the lowercase names (<c>"load"</c>, ...).</summary>
public enum ControlOp
{
    /// <summary>Compile a script into a rule, adding it or atomically replacing one of the same name.</summary>
    Load,

    /// <summary>Remove a rule.</summary>
    Unload,

    /// <summary>The rules per queue, in evaluation order.</summary>
    List,

    /// <summary>Counters per queue and per rule.</summary>
    Stats,

    /// <summary>The daemon and each queue's effective settings.</summary>
    Status,

    /// <summary>Read the configuration again.</summary>
    Reload,

    /// <summary>The named sets.</summary>
    SetList,

    /// <summary>One set's entries.</summary>
    SetShow,

    /// <summary>Add entries to a set.</summary>
    SetAdd,

    /// <summary>Remove entries from a set.</summary>
    SetDel,

    /// <summary>Replace a set's contents whole.</summary>
    SetLoad,

    /// <summary>Switch a rule between monitor and enforce.</summary>
    Mode,

    /// <summary>The latest events (nflua-ctl events).</summary>
    Events,
}
