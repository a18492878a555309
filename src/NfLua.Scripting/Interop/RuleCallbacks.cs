using System.Runtime.InteropServices;
using System.Text;
using NfLua.Packets;

namespace NfLua.Scripting.Interop;

/// <summary>
/// The <c>nflua</c> module's C functions; same rules as <see cref="DataCallbacks"/>: no Lua error,
/// no exception out, errors returned for sandbox.lua to raise. Upvalues as every host function's
/// (<see cref="HostUpvalues"/>).
/// </summary>
internal static unsafe class RuleCallbacks
{
    private const int ContextUpvalue = HostUpvalues.Context;

    public static IntPtr SetMarkPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&SetMark;
    public static IntPtr LocatePointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&Locate;
    public static IntPtr AddressesPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&Addresses;
    public static IntPtr ParseCidrPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&ParseCidr;
    public static IntPtr InCidrPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&InCidr;
    public static IntPtr FlowPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&Flow;
    public static IntPtr NowPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&Now;

    /// <summary>nflua.now(): the current packet's time in integer milliseconds (see <see cref="LuaRule.Filter(Span{byte}, long)"/>).</summary>
    [UnmanagedCallersOnly]
    private static int Now(IntPtr state)
    {
        RuleContext* context = Context(state);
        LuaC.PushInteger(state, context == null ? 0 : context->NowMs);
        return 1;
    }

    /// <summary>nflua.setmark(mark): the packet's verdict carries this mark; returns true, or nil for a bad mark.</summary>
    [UnmanagedCallersOnly]
    private static int SetMark(IntPtr state)
    {
        var context = Context(state);
        int isInteger;
        long mark = LuaC.ToIntegerX(state, 1, &isInteger);
        if (context == null || isInteger == 0 || LuaC.Type(state, 1) != LuaC.TypeNumber || mark is < 0 or > uint.MaxValue)
        {
            LuaC.PushNil(state);
            return 1;
        }

        context->Mark = (uint)mark;
        context->MarkSet = 1;
        LuaC.PushBoolean(state, 1);
        return 1;
    }

    /// <summary>
    /// locate(d): protocol, transport offset and length, payload offset and length of the IP packet in d (the payload's
    /// two are nil for a protocol whose header NfLua does not know); nil when there is no transport.
    /// </summary>
    [UnmanagedCallersOnly]
    private static int Locate(IntPtr state)
    {
        try
        {
            if (!TryParse(state, out _, out PacketInfo info) || !info.HasTransport)
            {
                LuaC.PushNil(state);
                return 1;
            }

            LuaC.PushInteger(state, info.Protocol);
            LuaC.PushInteger(state, info.TransportOffset);
            LuaC.PushInteger(state, info.TransportLength);
            if (!info.HasTransportHeader)
            {
                return 3;
            }

            LuaC.PushInteger(state, info.PayloadOffset);
            LuaC.PushInteger(state, info.PayloadLength);
            return 5;
        }
        catch (Exception)
        {
            LuaC.PushNil(state);
            return 1;
        }
    }

    /// <summary>addresses(d): source and destination address of the IP packet in d, as text; nil when odd.</summary>
    [UnmanagedCallersOnly]
    private static int Addresses(IntPtr state)
    {
        try
        {
            if (!TryParse(state, out Span<byte> bytes, out PacketInfo info))
            {
                LuaC.PushNil(state);
                return 1;
            }

            using var guard = new LimitsGuard(state);
            PushAddress(state, info.GetSourceAddress(bytes));
            PushAddress(state, info.GetDestinationAddress(bytes));
            return 2;
        }
        catch (Exception)
        {
            LuaC.PushNil(state);
            return 1;
        }
    }

    /// <summary>parsecidr(text): true, or nil and a message saying what is wrong with the network.</summary>
    [UnmanagedCallersOnly]
    private static int ParseCidr(IntPtr state)
    {
        try
        {
            if (!Cidr.TryParseUtf8(Bytes(state, 1), out _, out string? error))
            {
                LuaC.PushNil(state);
                return 1 + DataCallbacks.Message(state, Encoding.UTF8.GetBytes(error ?? "nflua.cidr expects a text such as '10.0.0.0/8'"));
            }

            LuaC.PushBoolean(state, 1);
            return 1;
        }
        catch (Exception)
        {
            LuaC.PushNil(state);
            return 1;
        }
    }

    /// <summary>incidr(address, network): whether the address (text) lies in the network (text, already checked). Allocates nothing.</summary>
    [UnmanagedCallersOnly]
    private static int InCidr(IntPtr state)
    {
        try
        {
            Span<byte> address = stackalloc byte[16];
            bool inside = IPAddressText.TryParseUtf8(Bytes(state, 1), address, out int length)
                && Cidr.TryParseUtf8(Bytes(state, 2), out Cidr cidr, out _)
                && cidr.Contains(address[..length]);
            LuaC.PushBoolean(state, inside ? 1 : 0);
            return 1;
        }
        catch (Exception)
        {
            LuaC.PushBoolean(state, 0);
            return 1;
        }
    }

    /// <summary>The bytes of the string at <paramref name="index"/>; empty for anything that is not a string.</summary>
    private static ReadOnlySpan<byte> Bytes(IntPtr state, int index)
    {
        if (LuaC.Type(state, index) != LuaC.TypeString)
        {
            return default;
        }

        nuint length;
        byte* p = LuaC.ToLString(state, index, &length);
        return new ReadOnlySpan<byte>(p, (int)Math.Min(length, 256));
    }

    /// <summary>flow(pkt): the table that holds the state of pkt's flow (both directions), created on first sight; nil for non-IP.</summary>
    [UnmanagedCallersOnly]
    private static int Flow(IntPtr state)
    {
        try
        {
            RuleContext* context = Context(state);
            if (context == null || context->Host == IntPtr.Zero || !TryParse(state, out Span<byte> bytes, out PacketInfo info))
            {
                LuaC.PushNil(state);
                return 1;
            }

            FlowTable flows = Host(context).Flows;
            FlowKey key = FlowKey.FromPacket(bytes, info).Canonical();
            long now = context->NowMs;
            List<int> released = flows.Released;
            released.Clear();
            int tableRef = flows.Find(key, now, released);
            using var guard = new LimitsGuard(state);
            if (tableRef >= 0)
            {
                LuaC.RawGetI(state, LuaC.RegistryIndex, tableRef);
                return 1;
            }

            LuaC.CreateTable(state, 0, 4);
            LuaC.PushValue(state, -1);
            tableRef = LuaC.Ref(state, LuaC.RegistryIndex);
            flows.Add(key, tableRef, now, released);
            foreach (int old in released)
            {
                LuaC.Unref(state, LuaC.RegistryIndex, old);
            }

            return 1;
        }
        catch (Exception)
        {
            LuaC.PushNil(state);
            return 1;
        }
    }

    internal static RuleContext* Context(IntPtr state) => (RuleContext*)LuaC.ToUserData(state, LuaC.UpvalueIndex(ContextUpvalue));

    internal static RuleHost Host(RuleContext* context) => (RuleHost)GCHandle.FromIntPtr(context->Host).Target!;

    private static bool TryParse(IntPtr state, out Span<byte> bytes, out PacketInfo info)
    {
        DataObject* obj = DataCallbacks.Check(state, 1);
        info = default;
        bytes = default;
        return obj != null && obj->TryGetBytes(out bytes) && PacketParser.TryParse(bytes, out info);
    }

    private static void PushAddress(IntPtr state, ReadOnlySpan<byte> address)
    {
        Span<char> text = stackalloc char[IPAddressText.MaxLength];
        Span<byte> utf8 = stackalloc byte[IPAddressText.MaxLength];
        if (!IPAddressText.TryFormat(address, text, out int length))
        {
            LuaC.PushNil(state);
            return;
        }

        int bytes = Encoding.ASCII.GetBytes(text[..length], utf8);
        fixed (byte* p = utf8)
        {
            LuaC.PushLString(state, p, (nuint)bytes);
        }
    }
}
