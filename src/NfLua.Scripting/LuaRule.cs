using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using KeraLua;
using Microsoft.Extensions.Logging;
using NfLua.Lua.Native;
using NfLua.Packets;
using NfLua.Scripting.Interop;

namespace NfLua.Scripting;

/// <summary>
/// One rule compiled into its own sandboxed Lua state: call <see cref="Filter"/> per packet from
/// one thread at a time (a queue worker owns its rules' states). Each call runs under the rule's
/// limits and ends with a verdict, whatever the script does.
/// </summary>
public sealed unsafe class LuaRule : IDisposable
{
    private readonly LimitedLuaState _state;
    private readonly IntPtr _lua;
    private RuleContext* _context;
    private readonly int _filterRef;
    private readonly FilterResult _onError;
    private readonly RuleFailureLog? _failureLog;
    private const int TimingSampleInterval = 8;
    private uint _calls;

    private LuaRule(string name, RuleLimits limits, LimitedLuaState state, RuleContext* context, int filterRef, ILogger? logger)
    {
        _failureLog = logger is null ? null : new RuleFailureLog(logger, name, TimeSpan.FromSeconds(10));
        Name = name;
        Limits = limits;
        _state = state;
        _lua = state.Lua.Handle;
        _context = context;
        _filterRef = filterRef;
        _onError = new FilterResult(limits.OnError == ErrorVerdict.Accept ? FilterVerdict.Accept : FilterVerdict.Drop, 0, null, false, RuleFailure.None, null);
    }

    /// <summary>The rule's name.</summary>
    public string Name { get; }

    /// <summary>What the rule has done so far.</summary>
    public RuleCounters Counters { get; } = new();

    /// <summary>The limits the rule runs under.</summary>
    public RuleLimits Limits { get; }

    /// <summary>Whether the rule's state has been closed.</summary>
    public bool IsDisposed => _context == null;

    /// <summary>Bytes the rule's state holds now.</summary>
    public long MemoryUsed => (long)_state.Limits->MemUsed;

    /// <summary>
    /// Compiles <paramref name="source"/> (Lua text; bytecode is refused) into a rule: runs its main
    /// chunk once under the limits and takes its global <c>filter</c> function.
    /// </summary>
    /// <param name="name">The rule's name.</param>
    /// <param name="source">The script.</param>
    /// <param name="chunkName">The name errors carry, usually the script's file name.</param>
    /// <param name="limits">The rule's limits.</param>
    /// <param name="logger">Where failures are logged, at a bounded rate; none when null.</param>
    /// <exception cref="RuleCompileException">The script does not compile, fails while loading, or defines no <c>filter</c>.</exception>
    public static LuaRule Compile(string name, ReadOnlySpan<byte> source, string chunkName, RuleLimits limits, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(limits);
        IReadOnlyList<string> problems = limits.Validate();
        if (problems.Count > 0)
        {
            throw new RuleCompileException($"{chunkName}: {string.Join("; ", problems)}");
        }

        var state = new LimitedLuaState((nuint)limits.MaxMemoryBytes);
        var context = (RuleContext*)NativeMemory.AllocZeroed((nuint)sizeof(RuleContext));
        context->Flows = GCHandle.ToIntPtr(GCHandle.Alloc(new FlowTable(limits.MaxFlows, limits.FlowIdleTimeout)));
        try
        {
            Sandbox.Install(state, context);
            KeraLua.Lua lua = state.Lua;
            if (lua.LoadBuffer(source.ToArray(), "@" + chunkName, "t") != LuaStatus.OK)
            {
                throw new RuleCompileException(ErrorText(state.Lua.Handle, -1));
            }

            state.TimeLimit = limits.MaxCallTime;
            state.ArmBudget(limits.MaxInstructions);
            LuaStatus status = lua.PCall(0, 0, 0);
            bool spent = state.BudgetSpent;
            state.DisarmBudget();
            if (status != LuaStatus.OK)
            {
                string reason = spent ? "its main chunk exceeded the rule's limits: " : "";
                throw new RuleCompileException(reason + ErrorText(state.Lua.Handle, -1));
            }

            if (lua.GetGlobal("filter") != LuaType.Function)
            {
                throw new RuleCompileException($"{chunkName}: the script defines no global function 'filter(pkt)'");
            }

            int filterRef = lua.Ref(LuaRegistry.Index);
            lua.SetTop(0);
            return new LuaRule(name, limits, state, context, filterRef, logger);
        }
        catch
        {
            state.Dispose();
            FreeContext(context);
            throw;
        }
    }

    /// <summary>Compiles a script given as text.</summary>
    /// <exception cref="RuleCompileException">See <see cref="Compile(string, ReadOnlySpan{byte}, string, RuleLimits)"/>.</exception>
    public static LuaRule Compile(string name, string source, string chunkName, RuleLimits limits, ILogger? logger = null) =>
        Compile(name, Encoding.UTF8.GetBytes(source), chunkName, limits, logger);

    /// <summary>
    /// Runs <c>filter(pkt)</c> on a packet that starts at its network header. The packet object
    /// is valid during this call only; writes through layouts change <paramref name="packet"/> in
    /// place and set <see cref="FilterResult.Modified"/>. Never throws for anything the script does.
    /// </summary>
    public FilterResult Filter(Span<byte> packet) => Filter(packet, Environment.TickCount64);

    /// <summary>
    /// Runs <c>filter(pkt)</c> as <see cref="Filter(Span{byte})"/> does, for a packet seen at
    /// <paramref name="nowMs"/>: the milliseconds <c>nflua.now()</c> returns and flow state expires by
    /// (nfluad: <see cref="Environment.TickCount64"/> at the packet's receive batch; captures: the packet's timestamp).
    /// </summary>
    public FilterResult Filter(Span<byte> packet, long nowMs)
    {
        _context->NowMs = nowMs;
        // Reading the clock costs about as much as a trivial filter call, so one call in eight is
        // timed: the mean and the longest time per call are taken over those.
        FilterResult result;
        if ((++_calls & (TimingSampleInterval - 1)) == 0)
        {
            long started = Stopwatch.GetTimestamp();
            result = Run(packet);
            Counters.RecordTimed(result, Stopwatch.GetTimestamp() - started);
        }
        else
        {
            result = Run(packet);
            Counters.Record(result);
        }

        if (result.Failure != RuleFailure.None)
        {
            _failureLog?.Report(result);
        }

        return result;
    }

    private FilterResult Run(Span<byte> packet)
    {
        IntPtr l = _lua;
        NfLua.Lua.Native.Interop.NfLuaLimits* limits = _state.Limits;
        long refusals = limits->MemRefusals;
        fixed (byte* bytes = packet)
        {
            RuleContext* context = _context;
            context->Packet.Data = bytes;
            context->Packet.Length = packet.Length;
            context->Packet.Modified = 0;
            context->MarkSet = 0;

            context->PacketObject = new DataObject { Region = &context->Packet, Generation = context->Packet.Generation, Length = packet.Length };
            if (context->PacketLayoutSet != 0)
            {
                LuaC.PushBoolean(l, 0);
                LuaC.RawSetI(l, LuaC.RegistryIndex, context->PacketLayoutSlot);
                context->PacketLayoutSet = 0;
            }

            _state.ArmBudget(Limits.MaxInstructions);
            LuaC.RawGetI(l, LuaC.RegistryIndex, _filterRef);
            DataCallbacks.PushPacket(l, context);
            int status = LuaC.PCallK(l, 1, 2, 0, IntPtr.Zero, IntPtr.Zero);

            // The packet object dies with the call: any copy the script kept now reads nil.
            context->Packet.Generation++;
            context->Packet.Data = null;
            context->Packet.Length = 0;

            FilterResult result = status == 0 ? ReadVerdict(l) : Failure(l, status, limits, refusals);
            LuaC.SetTop(l, 0);
            if (context->Packet.Modified != 0)
            {
                // Whatever the verdict, the packet's bytes changed: keep its checksums right.
                Checksums.TryRecompute(packet);
            }

            return result;
        }
    }

    private FilterResult ReadVerdict(IntPtr l)
    {
        uint? mark = _context->MarkSet != 0 ? _context->Mark : null;
        bool modified = _context->Packet.Modified != 0;
        int type = LuaC.Type(l, 1);
        if (type == LuaC.TypeBoolean)
        {
            return new FilterResult(LuaC.ToBoolean(l, 1) != 0 ? FilterVerdict.Pass : FilterVerdict.Drop, 0, mark, modified, RuleFailure.None, null);
        }

        if (type == LuaC.TypeString)
        {
            nuint length;
            byte* text = LuaC.ToLString(l, 1, &length);
            var word = new ReadOnlySpan<byte>(text, (int)length);
            FilterVerdict? verdict = VerdictWords.Parse(word);
            if (verdict == FilterVerdict.Queue)
            {
                int isInteger;
                long target = LuaC.ToIntegerX(l, 2, &isInteger);
                if (isInteger != 0 && LuaC.Type(l, 2) == LuaC.TypeNumber && target is >= 0 and <= ushort.MaxValue)
                {
                    return new FilterResult(FilterVerdict.Queue, (ushort)target, mark, modified, RuleFailure.None, null);
                }

                return BadReturn("'queue' needs a queue number from 0 to 65535 as its second value");
            }

            if (verdict is { } v)
            {
                return new FilterResult(v, 0, mark, modified, RuleFailure.None, null);
            }
        }

        return BadReturn("filter returned " + DescribeValue(l, 1) + "; expected true, false, or \"pass\", \"accept\", \"drop\", \"repeat\", \"stop\", \"queue\"");
    }

    private FilterResult BadReturn(string message) =>
        _onError with { Failure = RuleFailure.BadReturn, Error = $"{Name}: {message}" };

    private FilterResult Failure(IntPtr l, int status, NfLua.Lua.Native.Interop.NfLuaLimits* limits, long refusals)
    {
        RuleFailure failure;
        if (limits->BudgetEnabled != 0 && limits->BudgetLeft <= 0)
        {
            failure = limits->CallStartedNs == -1 ? RuleFailure.TimeLimit : RuleFailure.InstructionLimit;
        }
        else if (status == (int)LuaStatus.ErrMem || limits->MemRefusals != refusals)
        {
            failure = RuleFailure.MemoryLimit;
        }
        else
        {
            failure = RuleFailure.ScriptError;
        }

        return _onError with { Failure = failure, Error = ErrorText(l, -1) };
    }

    /// <summary>An error value as text, without running any of its metamethods.</summary>
    private static string ErrorText(IntPtr l, int index)
    {
        if (LuaC.Type(l, index) == LuaC.TypeString)
        {
            nuint length;
            byte* text = LuaC.ToLString(l, index, &length);
            return Encoding.UTF8.GetString(text, (int)Math.Min(length, 1000));
        }

        return "(error object is a " + DescribeValue(l, index) + ")";
    }

    private static string DescribeValue(IntPtr l, int index) => LuaC.Type(l, index) switch
    {
        LuaC.TypeNone or LuaC.TypeNil => "nil",
        LuaC.TypeBoolean => "a boolean",
        LuaC.TypeNumber => "a number",
        LuaC.TypeString => "an unknown word",
        LuaC.TypeTable => "a table",
        LuaC.TypeFunction => "a function",
        LuaC.TypeUserData or LuaC.TypeLightUserData => "a userdata",
        _ => "a thread",
    };

    /// <summary>Closes the rule's state.</summary>
    public void Dispose()
    {
        if (_context == null)
        {
            return;
        }

        _state.Dispose();
        FreeContext(_context);
        _context = null;
    }

    private static void FreeContext(RuleContext* context)
    {
        GCHandle.FromIntPtr(context->Flows).Free();
        NativeMemory.Free(context);
    }
}
