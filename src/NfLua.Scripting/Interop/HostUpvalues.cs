namespace NfLua.Scripting.Interop;

/// <summary>
/// The one upvalue layout of every C function NfLua gives a rule (<see cref="Sandbox"/> pushes them
/// all with <see cref="Sandbox.PushHostFunction"/>): a function reads its upvalues by these numbers
/// only, so no function can read one layout's slot as another's (a mismatch would be memory
/// corruption, not an exception).
/// </summary>
internal static class HostUpvalues
{
    /// <summary>A light userdata: the rule's <see cref="RuleContext"/>.</summary>
    public const int Context = 1;

    /// <summary>The data objects' metatable (also the light userdata metatable: packet tokens).</summary>
    public const int DataMetatable = 2;

    /// <summary>The data objects' methods table (<c>d:segment</c>, <c>d:layout</c>).</summary>
    public const int DataMethods = 3;

    /// <summary>How many upvalues every host function has.</summary>
    public const int Count = 3;
}
