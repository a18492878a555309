using System.Runtime.InteropServices;
using System.Text;
using KeraLua;
using NfLua.Lua.Native.Interop;

namespace NfLua.Lua.Native.Tests;

/// <summary>
/// native/nflua_host.c: a host function (here an [UnmanagedCallersOnly] C# function, as NfLua's are)
/// never raises itself; it returns NFLUA_HOST_RAISE with the error on top of the stack, and the
/// trampoline raises it from C, with the caller's position, after the .NET frame has returned.
/// </summary>
public sealed unsafe class HostTrampolineTests : IDisposable
{
    private readonly LimitedLuaState _state;
    private readonly KeraLua.Lua _lua;

    public HostTrampolineTests()
    {
        _state = new LimitedLuaState(4 * 1024 * 1024);
        _lua = _state.Lua;
        _lua.OpenLibs();
        // host(x): "raise" raises a message, "table" raises a table, anything else returns x and upvalue 2.
        _lua.PushString("upvalue");
        NfLuaNative.PushHost(_lua.Handle, (IntPtr)(delegate* unmanaged<IntPtr, int>)&Host, 1);
        _lua.SetGlobal("host");
    }

    public void Dispose() => _state.Dispose();

    [Fact]
    public void HostFunction_ReturningResults_IsAPlainCall()
    {
        Assert.Equal(LuaStatus.OK, _lua.LoadString("local a, b = host(7) return a == 7 and b == 'upvalue'", "=chunk"));
        Assert.Equal(LuaStatus.OK, _lua.PCall(0, 1, 0));
        Assert.True(_lua.ToBoolean(-1));
    }

    [Fact]
    public void HostFunction_Raising_GetsTheCallersPosition()
    {
        Assert.Equal("chunk:2: raised by the host", RunExpectingError("local x = 1\nhost('raise')\nreturn x"));
        // From a function the chunk defined, through a field: the position is the caller's line.
        Assert.Equal("chunk:3: raised by the host", RunExpectingError("local t = { m = host }\nlocal function f()\n  return (t.m('raise'))\nend\nf()"));
    }

    [Fact]
    public void HostFunction_Raising_IsCaughtByPcall_AndTheStateGoesOn()
    {
        Assert.Equal(LuaStatus.OK, _lua.LoadString(
            "local ok, err = pcall(function() host('raise') end)\nlocal ok2, err2 = pcall(host, 'raise')\n"
            + "return not ok and err == 'chunk:1: raised by the host' and not ok2 and err2 == 'raised by the host' and host(1) == 1", "=chunk"));
        Assert.Equal(LuaStatus.OK, _lua.PCall(0, 1, 0));
        Assert.True(_lua.ToBoolean(-1));
    }

    [Fact]
    public void HostFunction_RaisingANonString_RaisesItAsItIs()
    {
        Assert.Equal(LuaStatus.OK, _lua.LoadString("local ok, err = pcall(host, 'table') return not ok and type(err) == 'table' and err.raised", "=chunk"));
        Assert.Equal(LuaStatus.OK, _lua.PCall(0, 1, 0));
        Assert.True(_lua.ToBoolean(-1));
    }

    [Fact]
    public void ToUserDataWithMetatable_RecognisesOnlyFullUserdataWithThatMetatable()
    {
        IntPtr l = _lua.Handle;
        _lua.NewTable();
        IntPtr mine = (IntPtr)_lua.ToPointer(-1);
        int metatable = _lua.GetTop();
        void* block = (void*)_lua.NewUserData(4);
        _lua.PushCopy(metatable);
        _lua.SetMetaTable(-2);
        int handle = _lua.GetTop();
        _lua.NewUserData(4);                                     // no metatable
        int bare = _lua.GetTop();
        _lua.NewUserData(4);
        _lua.NewTable();                                         // another metatable
        _lua.SetMetaTable(-2);
        int other = _lua.GetTop();
        _lua.PushLightUserData((IntPtr)block);                   // light userdata: never
        int light = _lua.GetTop();
        int top = _lua.GetTop();

        Assert.True(NfLuaNative.ToUserDataWithMetatable(l, handle, mine) == block);
        Assert.True(NfLuaNative.ToUserDataWithMetatable(l, -4, mine) == block);
        Assert.True(NfLuaNative.ToUserDataWithMetatable(l, bare, mine) == null);
        Assert.True(NfLuaNative.ToUserDataWithMetatable(l, other, mine) == null);
        Assert.True(NfLuaNative.ToUserDataWithMetatable(l, light, mine) == null);
        Assert.True(NfLuaNative.ToUserDataWithMetatable(l, metatable, mine) == null);
        Assert.True(NfLuaNative.ToUserDataWithMetatable(l, top + 1, mine) == null);
        Assert.True(NfLuaNative.ToUserDataWithMetatable(l, handle, IntPtr.Zero) == null);
        Assert.Equal(top, _lua.GetTop());
    }

    [Fact]
    public void ToUserDataWithMetatable_ReadsTheArgumentsOfAHostFunction()
    {
        // Positive indexes take the direct path (the arguments of the running C function).
        _lua.PushLightUserData(IntPtr.Zero);
        NfLuaNative.PushHost(_lua.Handle, (IntPtr)(delegate* unmanaged<IntPtr, int>)&Probe, 1);
        _lua.SetGlobal("probe");
        Assert.Equal(LuaStatus.OK, _lua.LoadString(
            "return probe(io.stdout, getmetatable(io.stdout)), probe(io.stdout, {}), probe({}, {}), probe(nil, {}), probe()", "=chunk"));
        Assert.Equal(LuaStatus.OK, _lua.PCall(0, 5, 0));
        Assert.Equal(["file", "no", "no", "no", "no"], Enumerable.Range(1, 5).Select(i => _lua.ToString(i, false)).ToArray());
    }

    [Fact]
    public void ToStringOnly_GivesStringsAndNeverConvertsNumbers()
    {
        IntPtr l = _lua.Handle;
        _lua.PushString("hello\0x");
        _lua.PushInteger(42);
        _lua.PushBoolean(true);
        nuint length = 0;
        byte* text = NfLuaNative.ToStringOnly(l, 1, &length);
        Assert.Equal("hello\0x", Encoding.UTF8.GetString(text, (int)length));
        Assert.True(NfLuaNative.ToStringOnly(l, -3, &length) == text);
        Assert.True(NfLuaNative.ToStringOnly(l, 2, &length) == null);
        Assert.True(NfLuaNative.ToStringOnly(l, -2, &length) == null);
        Assert.True(NfLuaNative.ToStringOnly(l, 3, &length) == null);
        Assert.True(NfLuaNative.ToStringOnly(l, 4, &length) == null);
        Assert.Equal(LuaType.Number, _lua.Type(2));               // still a number
        Assert.Equal(3, _lua.GetTop());
    }

    /// <summary>probe(x, mt): "file" when x is a full userdata whose metatable is mt, else "no" (argument indexes: the direct path).</summary>
    [UnmanagedCallersOnly]
    private static int Probe(IntPtr state)
    {
        var lua = KeraLua.Lua.FromIntPtr(state);
        IntPtr mt = lua.Type(2) == LuaType.Table ? lua.ToPointer(2) : IntPtr.Zero;
        lua.PushString(NfLuaNative.ToUserDataWithMetatable(state, 1, mt) != null ? "file" : "no");
        return 1;
    }

    [UnmanagedCallersOnly]
    private static int Host(IntPtr state)
    {
        var lua = KeraLua.Lua.FromIntPtr(state);
        string? word = lua.Type(1) == LuaType.String ? lua.ToString(1, false) : null;
        if (word == "raise")
        {
            lua.PushString("raised by the host");
            return NfLuaNative.HostRaise;
        }

        if (word == "table")
        {
            lua.NewTable();
            lua.PushBoolean(true);
            lua.SetField(-2, "raised");
            return NfLuaNative.HostRaise;
        }

        lua.PushCopy(1);
        lua.PushCopy(KeraLua.Lua.UpValueIndex(NfLuaNative.HostFunctionUpvalue + 1));
        return 2;
    }

    private string RunExpectingError(string chunk)
    {
        Assert.Equal(LuaStatus.OK, _lua.LoadString(chunk, "=chunk"));
        Assert.NotEqual(LuaStatus.OK, _lua.PCall(0, 0, 0));
        string message = _lua.ToString(-1, callMetamethod: false) ?? "";
        _lua.SetTop(0);
        return message;
    }
}
