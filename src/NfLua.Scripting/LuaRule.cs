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
public sealed unsafe partial class LuaRule : IDisposable
{
    private readonly LimitedLuaState _state;
    private readonly IntPtr _lua;
    private RuleContext* _context;
    private readonly int _filterRef;
    private readonly int _errorRef;
    private readonly FilterResult _onError;
    private readonly RuleFailureLog? _failureLog;
    private readonly RuleHost _host;
    private readonly long _timeLimitNs;

    // The last failure: its number, its kind, and its message (a Lua value kept in the registry, or
    // one of the host's own fixed texts). The text is copied into a string only when asked for.
    private long _failureNumber;
    private RuleFailure _failureKind;
    private string? _hostFailureText;
    private long _failureTextNumber;
    private string? _failureText;
    private readonly string?[] _badReturnTexts = new string?[12];
    private string? _overTimeText;
    private string? _stoppedTimeText;
    private string? _stoppedBudgetText;

    private LuaRule(string name, RuleLimits limits, LimitedLuaState state, RuleContext* context, int filterRef, int errorRef, ILogger? logger)
    {
        _failureLog = logger is null ? null : new RuleFailureLog(logger, name, TimeSpan.FromSeconds(10));
        _host = RuleCallbacks.Host(context);
        Name = name;
        Limits = limits;
        _state = state;
        _lua = state.Lua.Handle;
        _context = context;
        _filterRef = filterRef;
        _errorRef = errorRef;
        _timeLimitNs = (long)limits.MaxCallTime.TotalNanoseconds;
        _onError = new FilterResult(limits.OnError == ErrorVerdict.Accept ? FilterVerdict.Accept : FilterVerdict.Drop, 0, null, false, RuleFailure.None);
        Messages = RuleCallbacks.Host(context).Messages;
    }

    /// <summary>The rule's name.</summary>
    public string Name { get; }

    /// <summary>What the rule has done so far.</summary>
    public RuleCounters Counters { get; } = new();

    private volatile bool _monitor;

    /// <summary>
    /// Monitor mode: the rule runs and is counted as usual (its counters say what it would have done), but its queue
    /// does not act on its verdict, mark or writes: the packet goes on as if the rule had passed it. Switching keeps
    /// the rule's state.
    /// </summary>
    public bool Monitor
    {
        get => _monitor;
        set => _monitor = value;
    }

    /// <summary>The limits the rule runs under.</summary>
    public RuleLimits Limits { get; }

    /// <summary>Whether the rule's state has been closed.</summary>
    public bool IsDisposed => _context == null;

    /// <summary>Bytes the rule's state holds now.</summary>
    public long MemoryUsed => (long)_state.Limits->MemUsed;

    /// <summary>
    /// Compiles <paramref name="source"/> (Lua text; bytecode is refused) into a rule: runs its main
    /// chunk once under the limits and takes its global <c>filter</c> function. A first line that
    /// starts with <c>#</c> (<c>#!/usr/bin/env ...</c>) and a UTF-8 byte order mark are skipped, as
    /// lua(1) does.
    /// </summary>
    /// <param name="name">The rule's name.</param>
    /// <param name="source">The script.</param>
    /// <param name="chunkName">The name errors carry, usually the script's file name.</param>
    /// <param name="limits">The rule's limits.</param>
    /// <param name="logger">Where failures are logged, at a bounded rate; none when null.</param>
    /// <param name="environment">Its parameters, the sets and modules it may use, interface names; none when null.</param>
    /// <exception cref="RuleCompileException">The script (or a module) does not compile, fails while loading, asks for a set that does not exist, or defines no <c>filter</c>.</exception>
    public static LuaRule Compile(string name, ReadOnlySpan<byte> source, string chunkName, RuleLimits limits, ILogger? logger = null, RuleEnvironment? environment = null)
    {
        RuleWarmUp.EnsureDone();
        return CompileWarm(name, source, chunkName, limits, logger, environment ?? RuleEnvironment.Empty);
    }

    /// <summary>Compiles without first warming up NfLua's functions (<see cref="RuleWarmUp"/> itself).</summary>
    internal static LuaRule CompileWarm(string name, ReadOnlySpan<byte> source, string chunkName, RuleLimits limits, ILogger? logger, RuleEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(limits);
        IReadOnlyList<string> problems = limits.Validate();
        if (problems.Count > 0)
        {
            throw new RuleCompileException($"{chunkName}: {string.Join("; ", problems)}");
        }

        var state = new LimitedLuaState((nuint)limits.MaxMemoryBytes);
        var context = (RuleContext*)NativeMemory.AllocZeroed((nuint)sizeof(RuleContext));
        context->Host = GCHandle.ToIntPtr(GCHandle.Alloc(new RuleHost(name, new FlowTable(limits.MaxFlows, limits.FlowIdleTimeout), environment)
        {
            // Streams count against the rule's memory limit too, in a pool of their own outside the Lua heap.
            StreamFlows = limits.MaxFlows,
            StreamIdleMs = (long)limits.FlowIdleTimeout.TotalMilliseconds,
            StreamMemory = limits.MaxMemoryBytes,
        }));
        context->Stream.ReadOnly = 1;
        context->Meta = PacketMeta.None;
        try
        {
            Sandbox.Install(state, context, environment);
            KeraLua.Lua lua = state.Lua;

            // Parsing and the main chunk run once, off the packet path, under a budget of their own;
            // so do the modules' chunks, which the main chunk runs when it requires them.
            state.TimeLimit = limits.MaxCompileTime;
            state.ArmBudget(limits.CompileInstructions);
            LuaStatus status = LoadModules(lua, context, environment, out string? moduleError);
            if (status == LuaStatus.OK)
            {
                status = lua.LoadBuffer(ScriptText.WithoutHeader(source), "@" + chunkName, "t");
            }

            if (status == LuaStatus.OK)
            {
                status = lua.PCall(0, 0, 0);
            }

            state.DisarmBudget();
            state.TimeLimit = limits.MaxCallTime;
            if (status != LuaStatus.OK)
            {
                throw new RuleCompileException(moduleError is null ? CompileError(state, limits, ErrorText(state.Lua.Handle, -1)) : IntegerOnlyHint.Rewrite(moduleError));
            }

            if (lua.GetGlobal("filter") != LuaType.Function)
            {
                throw new RuleCompileException($"{chunkName}: the script defines no global function 'filter(pkt)'");
            }

            int filterRef = lua.Ref(LuaRegistry.Index);
            lua.PushBoolean(false);
            int errorRef = lua.Ref(LuaRegistry.Index);
            lua.SetTop(0);
            return new LuaRule(name, limits, state, context, filterRef, errorRef, logger);
        }
        catch
        {
            state.Dispose();
            FreeContext(context);
            throw;
        }
    }

    /// <summary>Compiles every module's chunk into the preload table <c>require</c> runs them from.</summary>
    private static LuaStatus LoadModules(KeraLua.Lua lua, RuleContext* context, RuleEnvironment environment, out string? error)
    {
        error = null;
        if (environment.Modules.Count == 0)
        {
            return LuaStatus.OK;
        }

        LuaC.RawGetI(lua.Handle, LuaC.RegistryIndex, context->PreloadSlot);
        int preload = lua.GetTop();
        foreach ((string name, RuleModule module) in environment.Modules)
        {
            LuaStatus status = lua.LoadBuffer(ScriptText.WithoutHeader(module.Source), "@" + module.ChunkName, "t");
            if (status != LuaStatus.OK)
            {
                error = $"module {name}: {ErrorText(lua.Handle, -1)}";
                return status;
            }

            lua.SetField(preload, name);
        }

        lua.SetTop(preload - 1);
        return LuaStatus.OK;
    }

    private static string CompileError(LimitedLuaState state, RuleLimits limits, string error) =>
        !state.BudgetSpent ? IntegerOnlyHint.Rewrite(error) : state.TimedOut
            ? $"{error}: the main chunk ran out of its compile time ({limits.MaxCompileTime.TotalMilliseconds:0.###} ms; raise it with compile_time_ms or --compile-time)"
            : $"{error}: the main chunk ran out of its compile budget ({limits.CompileInstructions} instructions; raise it with compile_instructions or --compile-instructions)";

    /// <summary>Compiles a script given as text.</summary>
    /// <exception cref="RuleCompileException">See <see cref="Compile(string, ReadOnlySpan{byte}, string, RuleLimits, ILogger)"/>.</exception>
    public static LuaRule Compile(string name, string source, string chunkName, RuleLimits limits, ILogger? logger = null, RuleEnvironment? environment = null) =>
        Compile(name, Encoding.UTF8.GetBytes(source), chunkName, limits, logger, environment);

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
    /// A call that returns after its time limit fails like one stopped by it: its verdict came too late to trust.
    /// </summary>
    public FilterResult Filter(Span<byte> packet, long nowMs) => Filter(packet, nowMs, PacketMeta.None);

    /// <summary>
    /// Runs <c>filter(pkt)</c> as <see cref="Filter(Span{byte}, long)"/> does, with what the kernel
    /// (or the capture) tells about the packet, for <c>nflua.meta(pkt)</c>.
    /// </summary>
    public FilterResult Filter(Span<byte> packet, long nowMs, in PacketMeta meta)
    {
        _context->NowMs = nowMs;
        _context->Meta = meta;
        if (_host.StreamsIfAny is { } streams)
        {
            // Sticky flow verdicts and the drops the stream's invariants force come without a call.
            if (streams.Begin(packet, nowMs, meta.ChecksumComplete) is { } forced)
            {
                FilterResult without = new(forced, 0, null, false, RuleFailure.None);
                Counters.RecordWithoutCall();
                return without;
            }

            _context->Stream.Data = streams.ViewData;
            _context->Stream.Length = streams.ViewLength;
        }

        BeforeCall(nowMs);
        FilterResult result = Run(packet, out long elapsedNs);
        Counters.Record(result, elapsedNs);
        if (result.Failure != RuleFailure.None)
        {
            _failureLog?.Report(result);
        }

        AfterCall(packet, meta, result);
        return result;
    }

    private FilterResult Run(Span<byte> packet, out long elapsedNs)
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

            LuaC.RawGetI(l, LuaC.RegistryIndex, _filterRef);
            DataCallbacks.PushPacket(l, context);
            _state.ArmBudget(Limits.MaxInstructions);
            int status = LuaC.PCallK(l, 1, 2, 0, IntPtr.Zero, IntPtr.Zero);
            elapsedNs = _state.DisarmBudget();

            // The packet object dies with the call: any copy the script kept now reads nil.
            context->Packet.Generation++;
            context->Packet.Data = null;
            context->Stream.Generation++;
            context->Stream.Data = null;
            context->Packet.Length = 0;

            FilterResult result;
            if (status != 0)
            {
                result = Failure(l, status, limits, refusals);
            }
            else if (_state.BudgetSpent)
            {
                // Stopped, yet it returned (the stop was caught where nothing could run on): what it
                // returned was decided after its limit, so it is not its verdict.
                result = _state.TimedOut
                    ? HostFailure(RuleFailure.TimeLimit, _stoppedTimeText ??= StoppedText(RuleFailure.TimeLimit))
                    : HostFailure(RuleFailure.InstructionLimit, _stoppedBudgetText ??= StoppedText(RuleFailure.InstructionLimit));
            }
            else
            {
                result = ReadVerdict(l);
                if (result.Failure == RuleFailure.None && elapsedNs > _timeLimitNs)
                {
                    result = HostFailure(RuleFailure.TimeLimit, _overTimeText ??=
                        $"{Name}: the call returned after its time limit of {Limits.MaxCallTime.TotalMilliseconds:0.###} ms; its verdict came too late to be trusted");
                }
            }

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
            return new FilterResult(LuaC.ToBoolean(l, 1) != 0 ? FilterVerdict.Pass : FilterVerdict.Drop, 0, mark, modified, RuleFailure.None);
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
                    return new FilterResult(FilterVerdict.Queue, (ushort)target, mark, modified, RuleFailure.None);
                }

                return HostFailure(RuleFailure.BadReturn, _badReturnTexts[^1] ??=
                    $"{Name}: 'queue' needs a queue number from 0 to 65535 as its second value");
            }

            if (verdict is { } v)
            {
                return new FilterResult(v, 0, mark, modified, RuleFailure.None);
            }
        }

        // One fixed text per kind of wrong value: a rule returning garbage at line rate allocates nothing.
        int slot = Math.Clamp(type + 1, 0, _badReturnTexts.Length - 2);
        return HostFailure(RuleFailure.BadReturn, _badReturnTexts[slot] ??=
            $"{Name}: filter returned {DescribeValue(l, 1)}; expected true, false, or \"pass\", \"accept\", \"drop\", \"reject\", \"repeat\", \"stop\", \"queue\"");
    }

    private FilterResult HostFailure(RuleFailure failure, string text)
    {
        _failureNumber++;
        _failureKind = failure;
        _hostFailureText = text;
        return _onError with { Failure = failure, FailedRule = this, FailureNumber = _failureNumber };
    }

    private FilterResult Failure(IntPtr l, int status, NfLua.Lua.Native.Interop.NfLuaLimits* limits, long refusals)
    {
        RuleFailure failure;
        if (_state.BudgetSpent)
        {
            failure = _state.TimedOut ? RuleFailure.TimeLimit : RuleFailure.InstructionLimit;
        }
        else if (status == (int)LuaStatus.ErrMem || limits->MemRefusals != refusals)
        {
            failure = RuleFailure.MemoryLimit;
        }
        else
        {
            failure = RuleFailure.ScriptError;
        }

        // The error value stays in the state (a registry slot: no allocation) until it is asked for.
        LuaC.RawSetI(l, LuaC.RegistryIndex, _errorRef);
        _failureNumber++;
        _failureKind = failure;
        _hostFailureText = null;
        return _onError with { Failure = failure, FailedRule = this, FailureNumber = _failureNumber };
    }

    /// <summary>The message of failure <paramref name="number"/>, copied out of the state on the first ask.</summary>
    internal string FailureText(long number)
    {
        if (number != _failureNumber)
        {
            return $"{Name}: (the message of this failure is gone: the rule failed again since)";
        }

        if ((_failureTextNumber != number || _failureText is null) && _context != null)
        {
            _failureText = _hostFailureText ?? LuaFailureText();
            _failureTextNumber = number;
        }

        return _failureText ?? "";
    }

    private string LuaFailureText()
    {
        IntPtr l = _lua;
        LuaC.RawGetI(l, LuaC.RegistryIndex, _errorRef);
        string text = ErrorText(l, -1);
        LuaC.SetTop(l, 0);
        // A limit can surface as another error (a big allocation refused for want of budget reads
        // "not enough memory"): the limit is what stopped the call, so say it first, then which
        // limit it is and what raises it.
        (string? limit, string? how) = LimitDescription(_failureKind);
        if (limit is not null && !text.Contains(limit, StringComparison.Ordinal))
        {
            text = $"{limit} ({text})";
        }

        return how is null ? text : $"{text} ({how})";
    }

    private string StoppedText(RuleFailure failure)
    {
        (string? limit, string? how) = LimitDescription(failure);
        return $"{Name}: {limit} ({how})";
    }

    /// <summary>What stopped a call, and the limit's value with the options that raise it.</summary>
    private (string? Limit, string? How) LimitDescription(RuleFailure failure) => failure switch
    {
        RuleFailure.InstructionLimit => ("instruction limit exceeded",
            $"{Limits.MaxInstructions} per call; raise it with max_instructions or --max-instructions"),
        RuleFailure.TimeLimit => ("time limit exceeded",
            $"{Limits.MaxCallTime.TotalMilliseconds:0.###} ms per call; raise it with max_call_time_ms or --max-call-time"),
        RuleFailure.MemoryLimit => (null,
            $"the rule's state may hold {Limits.MaxMemoryBytes} bytes; raise it with max_memory or --max-memory"),
        _ => (null, null),
    };

    /// <summary>An error value as text, without running any of its metamethods.</summary>
    private static string ErrorText(IntPtr l, int index)
    {
        if (LuaC.Type(l, index) == LuaC.TypeString)
        {
            nuint length;
            byte* text = LuaC.ToLString(l, index, &length);
            return Encoding.UTF8.GetString(text, (int)Math.Min(length, 1000));
        }

        return "(the error value is " + DescribeValue(l, index) + ", not a message)";
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

    /// <summary>Closes the rule's state (the last failure's message is copied out first).</summary>
    public void Dispose()
    {
        if (_context == null)
        {
            return;
        }

        _host.StreamsIfAny?.Dispose();

        if (_failureNumber != 0)
        {
            _ = FailureText(_failureNumber);
        }

        Messages.Close();
        _state.Dispose();
        FreeContext(_context);
        _context = null;
    }

    private static void FreeContext(RuleContext* context)
    {
        GCHandle host = GCHandle.FromIntPtr(context->Host);
        ((RuleHost)host.Target!).Messages.Close(); // a rule that never compiled is gone too: its hub forgets it
        host.Free();
        NativeMemory.Free(context);
    }
}
