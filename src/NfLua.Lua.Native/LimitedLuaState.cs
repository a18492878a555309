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

    /// <summary>Whether a state handle (any thread of a state) runs under NfLua's limits.</summary>
    public static bool IsLimited(IntPtr state) => NfLuaNative.GetLimits(state) != null;

    /// <summary>Arms the instruction budget for the next call: at most <paramref name="instructions"/> VM instructions (and C-loop charges).</summary>
    public void ArmBudget(long instructions)
    {
        _limits->BudgetEnabled = 1;
        _limits->BudgetLeft = instructions;
        _limits->CallStartedNs = 0;
    }

    /// <summary>Wall-clock time a call may take once armed (zero: no time limit); checked at hook events.</summary>
    public TimeSpan TimeLimit
    {
        get => TimeSpan.FromTicks(_limits->TimeLimitNs / 100);
        set => _limits->TimeLimitNs = value.Ticks * 100;
    }

    /// <summary>Stops counting instructions.</summary>
    public void DisarmBudget() => _limits->BudgetEnabled = 0;

    /// <summary>Whether the armed budget ran out during the last call.</summary>
    public bool BudgetSpent => _limits->BudgetEnabled != 0 && _limits->BudgetLeft <= 0;

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
    }
}
