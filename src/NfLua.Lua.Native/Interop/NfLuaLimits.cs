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
    /// <summary>Above zero while host code runs inside a call: allocations are never refused and nothing raises.</summary>
    public int HostDepth;
    /// <summary>Zero: nothing is counted or stopped.</summary>
    public int BudgetEnabled;
    /// <summary>Units left for the current call; at or below zero the call is stopped (sticky).</summary>
    public long BudgetLeft;
    /// <summary>Calls stopped because the budget ran out.</summary>
    public long BudgetExhaustions;
    /// <summary>Above zero: a call may run this many nanoseconds.</summary>
    public long TimeLimitNs;
    /// <summary>The monotonic clock (ns) when the current call was armed.</summary>
    public long CallStartedNs;
    /// <summary>Calls stopped because their time ran out.</summary>
    public long TimeExhaustions;
    /// <summary>Why the current call was stopped (<see cref="NfLuaNative.StopBudget"/>, <see cref="NfLuaNative.StopTime"/>), 0 while it runs.</summary>
    public int StoppedBy;
    /// <summary>Non-zero for a rule's state: weak tables are held strongly and finalisers never run.</summary>
    public int Strict;
    /// <summary>C frames below this address raise "C stack overflow".</summary>
    public IntPtr CStackFloor;
    /// <summary>Whether the floor was lowered this call to let an overflow unwind.</summary>
    public int CStackFloorLowered;
    /// <summary>When the current call's time runs out (monotonic ns; 0: no time limit).</summary>
    public long DeadlineNs;
    /// <summary>Units charged to the current call so far (instructions included).</summary>
    public long Charged;
    /// <summary>The frame that armed the last call (its C-stack floor is reused while the frame is the same).</summary>
    public IntPtr ArmedAt;
    /// <summary>The C-stack floor computed for <see cref="ArmedAt"/>.</summary>
    public IntPtr ArmedFloor;
}
