using System.Runtime.InteropServices;
using KeraLua;
using NfLua.Lua.Native;
using NfLua.Scripting.Interop;

namespace NfLua.Scripting;

/// <summary>
/// Turns a bare limited state into a rule's sandbox: the allow-listed libraries only (base,
/// coroutine, table, string, integer math, utf8), then Lua/sandbox.lua, which removes what rules
/// must not reach and installs <c>data</c>, <c>nflua</c> and a <c>require</c> that knows only them.
/// </summary>
internal static unsafe class Sandbox
{
    /// <summary>Registry field holding the data objects' metatable.</summary>
    public const string DataMetatableField = "nflua.data";

    private static readonly (string Name, string Export)[] s_libraries =
    [
        ("_G", "luaopen_base"),
        ("coroutine", "luaopen_coroutine"),
        ("table", "luaopen_table"),
        ("string", "luaopen_string"),
        ("math", "luaopen_math"),
        ("utf8", "luaopen_utf8"),
    ];

    // host = { metatable, methods, new, segment, layoutmethod, <the nflua functions>, builtin, version, ... }
    private static readonly (string Field, IntPtr Function)[] s_hostFunctions =
    [
        ("new", DataCallbacks.NewPointer),
        ("setmark", RuleCallbacks.SetMarkPointer),
        ("locate", RuleCallbacks.LocatePointer),
        ("addresses", RuleCallbacks.AddressesPointer),
        ("parsecidr", RuleCallbacks.ParseCidrPointer),
        ("incidr", RuleCallbacks.InCidrPointer),
        ("flow", RuleCallbacks.FlowPointer),
        ("now", RuleCallbacks.NowPointer),
        ("metaindex", MetaCallbacks.IndexPointer),
        ("getset", SetCallbacks.GetPointer),
        ("setcontains", SetCallbacks.ContainsPointer),
        ("wantstream", StreamCallbacks.WantStreamPointer),
        ("stream", StreamCallbacks.StreamPointer),
        ("flowverdict", StreamCallbacks.FlowVerdictPointer),
        ("interest", StreamCallbacks.InterestPointer),
    ];

    private static readonly (string Field, string Ask, IntPtr Function, int Gate)[] s_gatedFunctions =
    [
        ("log", "logging", MessageCallbacks.LogPointer, Messages.RuleMessages.LogGate),
        ("alert", "alerting", MessageCallbacks.AlertPointer, Messages.RuleMessages.AlertGate),
    ];

    private static readonly Lazy<IntPtr> s_gated = new(() => LuaNativeLibrary.GetExport("nflua_gated"));
    private static readonly Lazy<IntPtr> s_gateAsk = new(() => LuaNativeLibrary.GetExport("nflua_gate_ask"));

    private static readonly Lazy<byte[]> s_prelude = new(LoadPrelude);

    /// <summary>Installs the sandbox into a bare limited state.</summary>
    public static void Install(LimitedLuaState state, RuleContext* context, RuleEnvironment environment)
    {
        KeraLua.Lua lua = state.Lua;
        IntPtr l = lua.Handle;
        state.Strict = true; // no weak tables, no finalisers: the collector's work stays bounded (docs/security.md)
        // Nothing here runs protected: a refused allocation would abort the process. The cap is
        // lifted until the prelude runs (the parameters can be big; they count all the same).
        state.Limits->HostDepth++;
        foreach (var (name, export) in s_libraries)
        {
            var open = Marshal.GetDelegateForFunctionPointer<LuaFunction>(LuaNativeLibrary.GetExport(export));
            lua.RequireF(name, open, global: true);
            lua.Pop(1);
        }

        lua.NewTable();
        int host = lua.GetTop();

        // Every host function gets the same upvalues (HostUpvalues): the context, the data
        // metatable, the data methods; so both tables exist before the first function is made.
        lua.NewTable();                                           // the data metatable
        int metatable = lua.GetTop();
        lua.NewTable();                                           // its methods
        int methods = lua.GetTop();
        lua.PushString("data");
        lua.SetField(metatable, "__metatable");

        // The data module's hot operations are C (native/nflua_data.c): no managed call per field read.
        foreach (var (table, field, function) in s_dataFunctions.Value)
        {
            PushNativeFunction(l, context, metatable, methods, function);
            lua.SetField(table == 0 ? metatable : host, field);
        }

        foreach (var (field, function) in s_hostFunctions)
        {
            PushHostFunction(l, context, metatable, methods, function);
            lua.SetField(host, field);
        }

        // nflua.log and nflua.alert behind their gates (nflua_gate.c): refused in C, without a host call, while the
        // rule's limit refuses; nflua.logging() and nflua.alerting() ask the gate.
        Messages.RuleMessages messages = RuleCallbacks.Host(context).Messages;
        foreach (var (field, ask, function, gate) in s_gatedFunctions)
        {
            LuaC.PushLightUserData(l, (void*)function);           // HostUpvalues.Function, as the trampoline has it
            LuaC.PushLightUserData(l, context);                   // HostUpvalues, as every host function has them
            LuaC.PushValue(l, metatable);
            LuaC.PushValue(l, methods);
            LuaC.PushLightUserData(l, (void*)messages.GatePointer(gate));
            LuaC.PushCClosure(l, s_gated.Value, HostUpvalues.Count + 2);
            lua.SetField(host, field);
            LuaC.PushLightUserData(l, (void*)messages.GatePointer(gate));
            LuaC.PushCClosure(l, s_gateAsk.Value, 1);
            lua.SetField(host, ask);
        }

        lua.PushCopy(methods);
        lua.SetField(host, "methods");
        lua.PushCopy(metatable);
        lua.SetField(host, "metatable");
        lua.PushCopy(metatable);
        lua.SetField((int)LuaRegistry.Index, DataMetatableField);

        // Set handles: their own metatable, kept in the registry for the host to recognise them.
        lua.NewTable();
        int setMetatable = lua.GetTop();
        lua.PushString("set");
        lua.SetField(setMetatable, "__metatable");
        PushHostFunction(l, context, metatable, methods, SetCallbacks.LengthPointer);
        lua.SetField(setMetatable, "__len");
        PushHostFunction(l, context, metatable, methods, SetCallbacks.ToStringPointer);
        lua.SetField(setMetatable, "__tostring");
        lua.PushCopy(setMetatable);
        lua.SetField(host, "setmetatable");
        context->SetMetatable = LuaC.ToPointer(l, setMetatable);  // kept alive by the registry slot
        context->SetMetatableSlot = lua.Ref(LuaRegistry.Index);

        PushBuiltInLayouts(lua);
        lua.SetField(host, "builtin");
        lua.PushString(typeof(Sandbox).Assembly.GetName().Version?.ToString(3) ?? "0");
        lua.SetField(host, "version");
        PushParams(lua, environment.Params.Values);
        lua.SetField(host, "params");
        lua.NewTable();                                           // filled by LuaRule with the modules' chunks
        lua.PushCopy(-1);
        context->PreloadSlot = lua.Ref(LuaRegistry.Index);
        lua.SetField(host, "preload");

        // The packet reaches scripts as a light-userdata token: every light userdata of the state
        // shares one metatable, and scripts cannot make light userdata, so it is the data metatable.
        LuaC.PushLightUserData(l, null);
        lua.PushCopy(metatable);
        LuaC.SetMetatable(l, -2);
        lua.Pop(1);
        lua.PushBoolean(false);
        context->PacketLayoutSlot = lua.Ref(LuaRegistry.Index);
        context->StaleRegion = default;
        context->Stale = new DataObject { Region = &context->StaleRegion, Generation = 1 };
        lua.SetTop(host);
        state.Limits->HostDepth--;

        if (lua.LoadBuffer(s_prelude.Value, "=nflua-sandbox", "t") != LuaStatus.OK)
        {
            throw new InvalidOperationException("the sandbox prelude does not compile: " + lua.ToString(-1, false));
        }

        lua.PushCopy(host);
        if (lua.PCall(1, 0, 0) != LuaStatus.OK)
        {
            throw new InvalidOperationException("the sandbox prelude failed: " + lua.ToString(-1, false));
        }

        lua.SetTop(0);
    }

    /// <summary>
    /// Pushes one of the library's own C functions (not a host function: no trampoline) with the
    /// upvalues every function of a rule has (<see cref="HostUpvalues"/>), false in the host function's place.
    /// </summary>
    private static void PushNativeFunction(IntPtr l, RuleContext* context, int metatable, int methods, IntPtr function)
    {
        LuaC.PushBoolean(l, 0);                                   // HostUpvalues.Function: none
        LuaC.PushLightUserData(l, context);                       // HostUpvalues.Context: nflua_datactx comes first
        LuaC.PushValue(l, metatable);                             // HostUpvalues.DataMetatable
        LuaC.PushValue(l, methods);                               // HostUpvalues.DataMethods
        LuaC.PushCClosure(l, function, HostUpvalues.Count + 1);
    }

    /// <summary>
    /// The data module's C functions (native/nflua_data.c) and where they go: 0, the data metatable;
    /// 1, the host table sandbox.lua reads. Resolved once, after checking that the library's idea of
    /// the data structures is this assembly's (RuleContext, DataObject, PacketRegion).
    /// </summary>
    private static readonly Lazy<(int Table, string Field, IntPtr Function)[]> s_dataFunctions = new(() =>
    {
        DataLayoutCheck.ThrowIfMismatched();
        return
        [
            (0, "__index", LuaNativeLibrary.GetExport("nflua_data_index")),
            (0, "__newindex", LuaNativeLibrary.GetExport("nflua_data_newindex")),
            (0, "__len", LuaNativeLibrary.GetExport("nflua_data_len")),
            (0, "__tostring", LuaNativeLibrary.GetExport("nflua_data_tostring")),
            (1, "segment", LuaNativeLibrary.GetExport("nflua_data_segment")),
            (1, "layoutmethod", LuaNativeLibrary.GetExport("nflua_data_layoutmethod")),
        ];
    });

    /// <summary>
    /// Pushes a host C function behind the native trampoline (native/nflua_host.c), with the upvalues
    /// every host function has (<see cref="HostUpvalues"/>): the function may return
    /// <see cref="LuaC.Raise"/> to raise the error on top of the stack, which it may not do itself.
    /// </summary>
    internal static void PushHostFunction(IntPtr l, RuleContext* context, int metatable, int methods, IntPtr function)
    {
        LuaC.PushLightUserData(l, context);                       // HostUpvalues.Context
        LuaC.PushValue(l, metatable);                             // HostUpvalues.DataMetatable
        LuaC.PushValue(l, methods);                               // HostUpvalues.DataMethods
        LuaC.PushHost(l, function, HostUpvalues.Count);           // HostUpvalues.Function: the function itself
    }

    /// <summary>Pushes the parameters as plain tables (the prelude makes them read-only).</summary>
    private static void PushParams(KeraLua.Lua lua, object value)
    {
        switch (value)
        {
            case string text:
                lua.PushString(text);
                break;
            case long number:
                lua.PushInteger(number);
                break;
            case bool flag:
                lua.PushBoolean(flag);
                break;
            case IReadOnlyDictionary<string, object> map:
                lua.CreateTable(0, map.Count);
                foreach ((string key, object item) in map)
                {
                    PushParams(lua, item);
                    lua.SetField(-2, key);
                }

                break;
            case IReadOnlyList<object> list:
                lua.CreateTable(list.Count, 0);
                for (int i = 0; i < list.Count; i++)
                {
                    PushParams(lua, list[i]);
                    lua.RawSetInteger(-2, i + 1);
                }

                break;
            default:
                lua.PushNil();
                break;
        }
    }

    /// <summary>Pushes { ipv4 = { field = {offset, length, type}, ... }, ... } in data.layout's own vocabulary.</summary>
    private static void PushBuiltInLayouts(KeraLua.Lua lua)
    {
        lua.NewTable();
        foreach (var (protocol, fields) in NfLua.Packets.BuiltInLayouts.All)
        {
            lua.NewTable();
            foreach (NfLua.Packets.LayoutFieldSpec field in fields)
            {
                bool isString = field.Kind == NfLua.Packets.LayoutFieldKind.String;
                lua.NewTable();
                lua.PushInteger(isString ? field.BitOffset / 8 : field.BitOffset);
                lua.RawSetInteger(-2, 1);
                lua.PushInteger(isString ? field.BitLength / 8 : field.BitLength);
                lua.RawSetInteger(-2, 2);
                lua.PushString(isString ? "s" : "n");
                lua.RawSetInteger(-2, 3);
                lua.SetField(-2, field.Name);
            }

            lua.SetField(-2, protocol);
        }
    }

    private static byte[] LoadPrelude()
    {
        using Stream stream = typeof(Sandbox).Assembly.GetManifestResourceStream("NfLua.Scripting.sandbox.lua")
            ?? throw new InvalidOperationException("NfLua.Scripting.sandbox.lua is not embedded");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
