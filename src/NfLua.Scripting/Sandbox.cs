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

    private static readonly (string Field, IntPtr Function)[] s_ruleFunctions =
    [
        ("setmark", RuleCallbacks.SetMarkPointer),
        ("locate", RuleCallbacks.LocatePointer),
        ("addresses", RuleCallbacks.AddressesPointer),
        ("parsecidr", RuleCallbacks.ParseCidrPointer),
        ("incidr", RuleCallbacks.InCidrPointer),
        ("flow", RuleCallbacks.FlowPointer),
        ("now", RuleCallbacks.NowPointer),
    ];

    private static readonly Lazy<byte[]> s_prelude = new(LoadPrelude);

    /// <summary>Installs the sandbox into a bare limited state.</summary>
    public static void Install(LimitedLuaState state, RuleContext* context)
    {
        KeraLua.Lua lua = state.Lua;
        IntPtr l = lua.Handle;
        state.Strict = true; // no weak tables, no finalisers: the collector's work stays bounded (docs/security.md)
        foreach (var (name, export) in s_libraries)
        {
            var open = Marshal.GetDelegateForFunctionPointer<LuaFunction>(LuaNativeLibrary.GetExport(export));
            lua.RequireF(name, open, global: true);
            lua.Pop(1);
        }

        // host = { metatable, methods, new, segment, setlayout, set, setmark, version }
        lua.NewTable();
        int host = lua.GetTop();

        lua.NewTable();                                           // the data metatable
        int metatable = lua.GetTop();
        lua.PushString("data");
        lua.SetField(metatable, "__metatable");
        LuaC.PushLightUserData(l, context);
        LuaC.PushCClosure(l, DataCallbacks.LengthPointer, 1);
        lua.SetField(metatable, "__len");
        LuaC.PushLightUserData(l, context);
        LuaC.PushCClosure(l, DataCallbacks.ToStringPointer, 1);
        lua.SetField(metatable, "__tostring");
        lua.NewTable();                                           // methods
        int methods = lua.GetTop();
        lua.PushCopy(metatable);
        lua.PushCopy(methods);
        LuaC.PushLightUserData(l, context);
        LuaC.PushCClosure(l, DataCallbacks.IndexPointer, 3);
        lua.SetField(metatable, "__index");
        lua.PushCopy(methods);
        lua.SetField(host, "methods");
        lua.Pop(1);                                               // methods

        lua.PushCopy(metatable);
        lua.SetField(host, "metatable");
        lua.PushCopy(metatable);
        lua.SetField((int)LuaRegistry.Index, DataMetatableField);
        lua.PushCopy(metatable);
        LuaC.PushCClosure(l, DataCallbacks.NewPointer, 1);
        lua.SetField(host, "new");
        lua.PushCopy(metatable);
        LuaC.PushLightUserData(l, context);
        LuaC.PushCClosure(l, DataCallbacks.SegmentPointer, 2);
        lua.SetField(host, "segment");
        lua.PushCopy(metatable);
        LuaC.PushLightUserData(l, context);
        LuaC.PushCClosure(l, DataCallbacks.SetLayoutPointer, 2);
        lua.SetField(host, "setlayout");
        lua.PushCopy(metatable);
        LuaC.PushLightUserData(l, context);
        LuaC.PushCClosure(l, DataCallbacks.SetPointer, 2);
        lua.SetField(host, "set");
        foreach (var (field, function) in s_ruleFunctions)
        {
            LuaC.PushLightUserData(l, context);
            lua.PushCopy(metatable);
            LuaC.PushCClosure(l, function, 2);
            lua.SetField(host, field);
        }

        PushBuiltInLayouts(lua);
        lua.SetField(host, "builtin");
        lua.PushString(typeof(Sandbox).Assembly.GetName().Version?.ToString(3) ?? "0");
        lua.SetField(host, "version");


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
        lua.Pop(1);                                               // metatable

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
