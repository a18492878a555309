using System.Runtime.InteropServices;
using KeraLua;
using NfLua.Lua.Native.Interop;

namespace NfLua.Lua.Native;

/// <summary>
/// A KeraLua state whose allocations go through NfLua's capped native allocator and whose
/// instructions are counted by NfLua's native budget hook (native/nflua_limits.c). The limits
/// live in native memory shared by all the state's coroutines and are read and written in place.
/// </summary>
public sealed unsafe class LimitedLuaState : IDisposable
{
    private static readonly Lazy<LuaAlloc> s_nativeAllocator = new(
        () => Marshal.GetDelegateForFunctionPointer<LuaAlloc>(LuaNativeLibrary.GetExport(NfLuaNative.AllocatorExport)));

    private NfLuaLimits* _limits;

    /// <summary>Creates a bare state (no libraries) with the budget hook installed and no limit armed.</summary>
    /// <param name="memoryLimit">Bytes the state may hold; allocations past it fail with "not enough memory" (0: no limit).</param>
    /// <exception cref="InsufficientMemoryException">The process could not allocate the state.</exception>
    public LimitedLuaState(nuint memoryLimit)
    {
        LuaRuntimeCheck.EnsureIntegerLua();
        _limits = NfLuaNative.LimitsNew();
        if (_limits == null)
        {
            throw new InsufficientMemoryException("could not allocate a Lua state's limits");
        }

        // A delegate made from a native function pointer marshals back to that same pointer, so
        // KeraLua hands Lua the native allocator itself: no managed transition per allocation.
        Lua = new KeraLua.Lua(s_nativeAllocator.Value, (IntPtr)_limits);
        if (Lua.Handle == IntPtr.Zero || NfLuaNative.Attach(Lua.Handle) == 0)
        {
            NfLuaNative.LimitsFree(_limits);
            _limits = null;
            throw new InsufficientMemoryException("could not create a limited Lua state");
        }

        _limits->MemLimit = memoryLimit;
    }

    /// <summary>The KeraLua view of the state (main thread).</summary>
    public KeraLua.Lua Lua { get; }

    /// <summary>The state's limits and counters, shared with native code; valid until <see cref="Dispose"/>.</summary>
    public NfLuaLimits* Limits => _limits;

    /// <summary>Instructions between two count-hook events: the budget's granularity.</summary>
    public static int HookStep => NfLuaNative.HookStep;

    /// <summary>
    /// The clock the limits read: "tsc" (the CPU's invariant time-stamp counter, calibrated against
    /// CLOCK_MONOTONIC when the first state was made) or "monotonic" (clock_gettime). See docs/internals.md.
    /// </summary>
    public static string ClockSource => NfLuaNative.ClockSource() == 1 ? "tsc" : "monotonic";

    /// <summary>The limits' clock now, in nanoseconds on CLOCK_MONOTONIC's scale.</summary>
    public static long NowNanoseconds => NfLuaNative.NowNs();

    /// <summary>Whether a state handle (any thread of a state) runs under NfLua's limits.</summary>
    public static bool IsLimited(IntPtr state) => NfLuaNative.GetLimits(state) != null;

    /// <summary>
    /// Starts a call on the calling thread: at most <paramref name="units"/> of budget (one per VM
    /// instruction and per C function call, C loops and allocations in proportion to their work),
    /// the clock read now for <see cref="TimeLimit"/>, and a C-stack floor below this frame.
    /// </summary>
    public void ArmBudget(long units) => NfLuaNative.Arm(_limits, units);

    /// <summary>Wall-clock time a call may take once armed (zero: no time limit).</summary>
    public TimeSpan TimeLimit
    {
        get => TimeSpan.FromTicks(_limits->TimeLimitNs / 100);
        set => _limits->TimeLimitNs = value.Ticks * 100;
    }

    /// <summary>Ends the call: nothing is counted any more. Returns the call's wall-clock time.</summary>
    public long DisarmBudget() => NfLuaNative.Disarm(_limits);

    /// <summary>Whether the current call was stopped by its budget or its time (valid until the next arming).</summary>
    public bool BudgetSpent => _limits->StoppedBy != 0;

    /// <summary>Whether the current call was stopped by its time limit.</summary>
    public bool TimedOut => _limits->StoppedBy == NfLuaNative.StopTime;

    /// <summary>A rule's state: weak tables are held strongly and finalisers never run (see docs/security.md).</summary>
    public bool Strict
    {
        get => _limits->Strict != 0;
        set => _limits->Strict = value ? 1 : 0;
    }

    /// <summary>Closes the state (limits lifted first, so finalisers and closing cannot fail) and frees its limits.</summary>
    public void Dispose()
    {
        if (_limits == null)
        {
            return;
        }

        _limits->MemLimit = 0;
        _limits->BudgetEnabled = 0;
        Lua.Close();
        NfLuaNative.LimitsFree(_limits);
        _limits = null;
        FreedMemory.Release();
    }
}
