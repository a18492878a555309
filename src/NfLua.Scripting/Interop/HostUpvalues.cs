namespace NfLua.Scripting.Interop;

/// <summary>
/// The one upvalue layout of every C function NfLua gives a rule (<see cref="Sandbox"/> pushes them
/// all with <see cref="Sandbox.PushHostFunction"/>): a function reads its upvalues by these numbers
/// only, so no function can read one layout's slot as another's (a mismatch would be memory
/// corruption, not an exception). Every host function is reached through the native trampoline
/// (native/nflua_host.c), whose closure holds the function itself as upvalue 1; the host's own follow.
/// The data module's C functions (native/nflua_data.c) have the same layout with false as upvalue 1: they
/// read the context as <c>nflua_datactx</c> (the start of <see cref="RuleContext"/>) and the data metatable
/// and methods at these numbers too.
/// </summary>
internal static class HostUpvalues
{
    /// <summary>The trampoline's: the host function it calls (NFLUA_HOST_FUNCTION_UPVALUE). Never read by host code.</summary>
    public const int Function = 1;

    /// <summary>A light userdata: the rule's <see cref="RuleContext"/>.</summary>
    public const int Context = 2;

    /// <summary>The data objects' metatable (also the light userdata metatable: packet tokens).</summary>
    public const int DataMetatable = 3;

    /// <summary>The data objects' methods table (<c>d:segment</c>, <c>d:layout</c>).</summary>
    public const int DataMethods = 4;

    /// <summary>How many upvalues of its own the host gives every function (after <see cref="Function"/>).</summary>
    public const int Count = 3;
}
