using System.Runtime.InteropServices;

namespace NfLua.Lua.Native.Interop;

/// <summary>Mirror of <c>nflua_limits</c> in native/nflua.h: shared by a state's coroutines, read and written in place.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct NfLuaLimits
{
    /// <summary>Bytes currently allocated by the state.</summary>
    public nuint MemUsed;
    /// <summary>Allocations past this many bytes fail with "not enough memory" (0: no limit).</summary>
    public nuint MemLimit;
    /// <summary>Highest <see cref="MemUsed"/> seen.</summary>
    public nuint MemPeak;
    /// <summary>Allocations refused because of <see cref="MemLimit"/>.</summary>
    public long MemRefusals;
    /// <summary>Above zero while the host pushes values: allocations are then never refused.</summary>
    public int MemSuspended;
    /// <summary>Zero: instructions are not counted.</summary>
    public int BudgetEnabled;
    /// <summary>Instructions left for the current call; at or below zero the budget is spent (sticky).</summary>
    public long BudgetLeft;
    /// <summary>Times the budget ran out.</summary>
    public long BudgetExhaustions;
    /// <summary>Above zero: a call may run this many nanoseconds (checked at hook events).</summary>
    public long TimeLimitNs;
    /// <summary>When the current call's clock started (its first hook event); cleared when arming.</summary>
    public long CallStartedNs;
    /// <summary>Times a call ran out of time.</summary>
    public long TimeExhaustions;
}
